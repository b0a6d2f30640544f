// Administrator user management: AdminCreateUser, AdminGetUser, AdminDeleteUser,
// AdminSetUserPassword, AdminDisableUser, AdminEnableUser.
#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/password.h"
#include "emulator/idp/common.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/mfa.h"
#include "emulator/idp/outbox.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/attributes.h"
#include "emulator/idp/rules/password_policy.h"
#include "emulator/idp/rules/usernames.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

using api::Has;
using api::Str;

int64_t TemporaryPasswordSeconds(const json& pool) {
  int64_t days = pool["Policies"]["PasswordPolicy"].value("TemporaryPasswordValidityDays", 7);
  if (days <= 0) days = 7;
  return days * 86400;
}

// Sends the invitation with the temporary password over each desired medium the user can
// receive (AWS's default medium is SMS).
void SendInvitation(api::Context& ctx, const json& pool, const json& in, const json& record,
                    const std::string& temporary_password) {
  json mediums = in.value("DesiredDeliveryMediums", json::array({"SMS"}));
  if (mediums.is_null()) mediums = json::array({"SMS"});
  const json& attrs = record["Attributes"];
  for (const auto& medium : mediums) {
    const std::string attribute = medium == "EMAIL" ? "email" : "phone_number";
    if (!attrs.contains(attribute)) continue;
    SendMessage(ctx, OutboundMessage{pool["Id"], record["Username"], attrs[attribute], medium, "AdminCreateUser",
                                     std::nullopt, temporary_password});
  }
}

void SetTemporaryPassword(api::Context& ctx, const json& pool, json& record, const std::string& password) {
  SetPassword(ctx, pool, record, password);
  record["UserStatus"] = "FORCE_CHANGE_PASSWORD";
  record["TemporaryPasswordExpires"] = ctx.clock.NowSeconds() + TemporaryPasswordSeconds(pool);
}

}  // namespace

json AdminCreateUser(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  const std::string username = in["Username"];
  const json policy = pool["Policies"]["PasswordPolicy"];
  const std::string action = Str(in, "MessageAction");

  if (action == "RESEND") {
    UserRef user = RequireUserByAny(ctx, pool, username);
    if (user.record["UserStatus"] != "FORCE_CHANGE_PASSWORD") {
      throw ApiError("UnsupportedUserStateException", "Resend not possible. " + user.record["Username"].get<std::string>() +
                                                          " status is not FORCE_CHANGE_PASSWORD.");
    }
    const json previous = user.record;
    std::string password = Str(in, "TemporaryPassword");
    if (password.empty()) {
      password = rules::GenerateTemporaryPassword(policy, ctx.random);
    } else {
      rules::EnforcePasswordPolicy(policy, password, rules::PasswordContext::kAdmin);
    }
    SetTemporaryPassword(ctx, pool, user.record, password);
    user.record["UserLastModifiedDate"] = ctx.now();
    SendInvitation(ctx, pool, in, user.record, password);
    PutUser(ctx, pool, user, &previous);
    return {{"User", UserType(user.record)}};
  }

  json attrs = rules::CheckAttributeWrites(pool["SchemaAttributes"], in.value("UserAttributes", json::array()),
                                           rules::AttributeCheck{true, rules::AttributeWriter::kAdmin, nullptr});
  std::string canonical = username;
  if (PoolUsesUsernameAttributes(pool)) {
    const std::string attribute = rules::UsernameAttributeFor(pool["UsernameAttributes"], username);
    if (attrs.contains(attribute) && attrs[attribute] != username) {
      throw errors::InvalidParameter("Username and " + attribute + " must match.");
    }
    attrs[attribute] = username;
  } else {
    rules::CheckUsernameAgainstAliases(pool.value("AliasAttributes", json::array()), username);
    if (FindUserByUsername(ctx.txn, pool, username)) {
      throw ApiError("UsernameExistsException", "User account already exists");
    }
  }
  std::string password = Str(in, "TemporaryPassword");
  if (password.empty()) {
    password = rules::GenerateTemporaryPassword(policy, ctx.random);
  } else {
    rules::EnforcePasswordPolicy(policy, password, rules::PasswordContext::kAdmin);
  }
  // A fixture may fix the sub (so exported state re-applies with the same subs).
  const std::string sub = ctx.fixture && Has(in, "Sub") ? Str(in, "Sub") : ctx.random.Uuid4();
  UserRef user = NewUser(ctx, pool, canonical, attrs, sub);
  SetTemporaryPassword(ctx, pool, user.record, password);
  if (action != "SUPPRESS") SendInvitation(ctx, pool, in, user.record, password);
  // ForceAliasCreation (used only with a verified email / phone, as the model says): the alias
  // moves to the new user instead of failing with AliasExistsException.
  if (api::Bool(in, "ForceAliasCreation", false)) {
    for (const char* attribute : {"email", "phone_number"}) {
      if (attrs.value(std::string(attribute) + "_verified", "") == "true") {
        TakeAliasFromOthers(ctx, pool, user, attribute);
      }
    }
  }
  // The username was checked above; a taken alias or email-as-username throws from here.
  PutUser(ctx, pool, user, nullptr);
  return {{"User", UserType(user.record)}};
}

json AdminGetUser(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json& r = user.record;
  json out = {{"Username", r["Username"]},
              {"UserAttributes", AttributeList(r)},
              {"UserCreateDate", r["UserCreateDate"]},
              {"UserLastModifiedDate", r["UserLastModifiedDate"]},
              {"Enabled", r.value("Enabled", true)},
              {"UserStatus", r["UserStatus"]}};
  AddMfaSettings(r, out);
  return out;
}

json AdminDeleteUser(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  DeleteUser(ctx, pool, user);
  return json::object();
}

json AdminSetUserPassword(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json previous = user.record;
  const std::string password = in["Password"];
  rules::EnforcePasswordPolicy(pool["Policies"]["PasswordPolicy"], password, rules::PasswordContext::kAdmin);
  if (api::Bool(in, "Permanent", false)) {
    SetPassword(ctx, pool, user.record, password);
    user.record["UserStatus"] = "CONFIRMED";
    user.record.erase("TemporaryPasswordExpires");
  } else {
    SetTemporaryPassword(ctx, pool, user.record, password);
  }
  user.record.erase("Lockout");
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

namespace {

json SetEnabled(api::Context& ctx, const json& in, bool enabled) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json previous = user.record;
  user.record["Enabled"] = enabled;
  user.record["UserLastModifiedDate"] = ctx.now();
  if (!enabled) RevokeIssuedTokens(ctx, user.record);  // "revokes all access tokens" (model)
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

}  // namespace

json AdminDisableUser(api::Context& ctx, const json& in) { return SetEnabled(ctx, in, false); }
json AdminEnableUser(api::Context& ctx, const json& in) { return SetEnabled(ctx, in, true); }

}  // namespace cogemu::idp
