// User attribute updates and verification: UpdateUserAttributes / AdminUpdateUserAttributes,
// DeleteUserAttributes / AdminDeleteUserAttributes, GetUserAttributeVerificationCode and
// VerifyUserAttribute. The schema and client-permission checks are rules/attributes.h (shared
// with SignUp and AdminCreateUser), the verification state rules/attribute_updates.h; this file
// loads the user, sends the codes and stores the result.
//
// Verification codes live in the user record under Codes."verify_<attribute>" (one per
// attribute, 24 hours by the emulator clock, as AWS's attribute verification codes); values held
// back by AttributesRequireVerificationBeforeUpdate under PendingAttributes.
#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/idp/common.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/attribute_updates.h"
#include "emulator/idp/rules/attributes.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

using api::Str;

constexpr int64_t kVerificationCodeSeconds = 24 * 3600;
// AWS's code security quotas (Developer Guide, quotas): per user and hour.
constexpr int kCodeRequestsPerHour = 5;     // GetUserAttributeVerificationCode
constexpr int kVerifyAttemptsPerHour = 15;  // VerifyUserAttribute

std::string CodePurpose(const std::string& attribute) { return "verify_" + attribute; }

json PendingOf(const json& record) {
  auto it = record.find("PendingAttributes");
  return it != record.end() && it->is_object() ? *it : json::object();
}

void SetPending(json& record, const json& pending) {
  if (pending.empty()) {
    record.erase("PendingAttributes");
  } else {
    record["PendingAttributes"] = pending;
  }
}

void DropCode(json& record, const std::string& purpose) {
  auto codes = record.find("Codes");
  if (codes == record.end() || !codes->is_object()) return;
  codes->erase(purpose);
  if (codes->empty()) record.erase("Codes");
}

const json* ClientWriteAttributes(const json& client) {
  auto it = client.find("WriteAttributes");
  return it != client.end() ? &*it : nullptr;
}

// PutUser, with a taken email / phone_number reported as an update reports it. With
// UsernameAttributes PutUser raises UsernameExistsException (SignUp's and AdminCreateUser's
// answer); when an existing user's attribute collides AWS answers AliasExistsException
// (gh:aws/aws-sdk-net#4387: AdminUpdateUserAttributes in an email-as-username pool).
// Unconfirmed wording: the message is SignUp's "An account with the given email already exists."
void Store(api::Context& ctx, const json& pool, const UserRef& user, const json& previous) {
  try {
    PutUser(ctx, pool, user, &previous);
  } catch (const ApiError& e) {
    if (e.code() == "UsernameExistsException") throw ApiError("AliasExistsException", e.message());
    throw;
  }
}

// A pending email / phone that is another user's sign-in name (UsernameAttributes) is refused at
// once: it could never be verified. (With AliasAttributes an unverified value is not unique; the
// collision, if any, shows when the value is verified.)
void CheckPendingFree(const api::Context& ctx, const json& pool, const UserRef& user, const json& pending) {
  const json username_attributes = pool.value("UsernameAttributes", json::array());
  for (auto it = pending.begin(); it != pending.end(); ++it) {
    if (std::find(username_attributes.begin(), username_attributes.end(), it.key()) == username_attributes.end()) {
      continue;
    }
    auto holder = FindUserForSignIn(ctx.txn, pool, it->get<std::string>());
    if (holder && holder->key != user.key) {
      throw ApiError("AliasExistsException", "An account with the given " + it.key() + " already exists.");
    }
  }
}

// A verified alias (AliasAttributes: email / phone_number) belongs to one user at a time. When
// this user's value has just become verified and another user holds it verified, the alias moves
// here and the other user's value stays, unverified — AWS migrates it (an AWS engineer in
// gh:aws-amplify/aws-sdk-ios#515; AdminUpdateUserAttributes with email_verified=true in
// gh:boto/boto3#3213). AliasExistsException stays ConfirmSignUp's and AdminCreateUser's answer
// without ForceAliasCreation. Pools that sign in with email / phone as username
// (UsernameAttributes) keep refusing a taken value (Store above).
void MoveNewlyVerifiedAliases(api::Context& ctx, const json& pool, const UserRef& user, const json& previous) {
  const json aliases = pool.value("AliasAttributes", json::array());
  const json& now = user.record["Attributes"];
  const json& before = previous["Attributes"];
  for (const std::string attribute : {"email", "phone_number"}) {
    if (std::find(aliases.begin(), aliases.end(), attribute) == aliases.end()) continue;
    const std::string verified = attribute + "_verified";
    if (now.value(verified, "") != "true") continue;
    if (before.value(verified, "") == "true" && before.value(attribute, "") == now.value(attribute, "")) continue;
    TakeAliasFromOthers(ctx, pool, user, attribute);
  }
}

// Applies checked attribute writes (name -> value, "" deletes) to `user`, sends the verification
// codes they call for, stores the user and returns the CodeDeliveryDetails of the codes sent.
json ApplyWrites(api::Context& ctx, const json& pool, UserRef& user, const json& writes, const std::string& reason) {
  const json previous = user.record;
  const json settings = pool.value("UserAttributeUpdateSettings", json::object());
  rules::AttributeUpdatePlan plan = rules::PlanAttributeUpdate(
      user.record["Attributes"], PendingOf(user.record), writes, pool.value("AutoVerifiedAttributes", json::array()),
      settings.is_object() ? settings.value("AttributesRequireVerificationBeforeUpdate", json::array())
                           : json::array());
  CheckPendingFree(ctx, pool, user, plan.pending);
  user.record["Attributes"] = plan.attributes;
  SetPending(user.record, plan.pending);
  for (const std::string& attribute : plan.void_codes) DropCode(user.record, CodePurpose(attribute));
  json details = json::array();
  for (const std::string& attribute : plan.send_codes) {
    const Delivery delivery =
        DeliveryTo(attribute, rules::VerificationTarget(plan.attributes, plan.pending, attribute));
    SendCode(ctx, pool, user, delivery, CodePurpose(attribute), kVerificationCodeSeconds, reason);
    details.push_back(delivery.details);
  }
  user.record["UserLastModifiedDate"] = ctx.now();
  MoveNewlyVerifiedAliases(ctx, pool, user, previous);
  Store(ctx, pool, user, previous);
  return details;
}

// DeleteUserAttributes' names as writes of empty values, so that they pass the same checks
// (client permissions, unknown names, immutable and required attributes) as an update.
json DeletionWrites(const json& names) {
  json writes = json::array();
  for (const json& name : names) writes.push_back({{"Name", name}, {"Value", ""}});
  return writes;
}

// email / phone_number, else InvalidParameterException.
std::string VerifiableName(const json& in) {
  const std::string name = Str(in, "AttributeName");
  if (!rules::IsVerifiableAttribute(name)) {
    // Observed wording (gh:aws-amplify/amplify-js#3652, quoted in lower case there).
    throw errors::InvalidParameter("Invalid attribute name. Only phone_number and email can be verified.");
  }
  return name;
}

}  // namespace

json UpdateUserAttributes(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  // ClientMetadata goes to Lambda triggers, which the emulator does not run: accepted, unused.
  const json writes = rules::CheckAttributeWrites(
      grant.pool["SchemaAttributes"], in["UserAttributes"],
      rules::AttributeCheck{false, rules::AttributeWriter::kSelf, ClientWriteAttributes(grant.client)});
  const json details = ApplyWrites(ctx, grant.pool, grant.user, writes, "UpdateUserAttributes");
  // Unconfirmed: whether AWS sends an empty list when no code went out; the member is left out.
  json out = json::object();
  if (!details.empty()) out["CodeDeliveryDetailsList"] = details;
  return out;
}

json AdminUpdateUserAttributes(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json writes = rules::CheckAttributeWrites(pool["SchemaAttributes"], in["UserAttributes"],
                                                  rules::AttributeCheck{false, rules::AttributeWriter::kAdmin, nullptr});
  ApplyWrites(ctx, pool, user, writes, "AdminUpdateUserAttributes");
  return json::object();
}

json DeleteUserAttributes(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  const json writes = rules::CheckAttributeWrites(
      grant.pool["SchemaAttributes"], DeletionWrites(in["UserAttributeNames"]),
      rules::AttributeCheck{false, rules::AttributeWriter::kSelf, ClientWriteAttributes(grant.client)});
  ApplyWrites(ctx, grant.pool, grant.user, writes, "DeleteUserAttributes");
  return json::object();
}

json AdminDeleteUserAttributes(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json writes = rules::CheckAttributeWrites(pool["SchemaAttributes"], DeletionWrites(in["UserAttributeNames"]),
                                                  rules::AttributeCheck{false, rules::AttributeWriter::kAdmin, nullptr});
  ApplyWrites(ctx, pool, user, writes, "AdminDeleteUserAttributes");
  return json::object();
}

json GetUserAttributeVerificationCode(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  const std::string name = VerifiableName(in);
  UserRef& user = grant.user;
  const std::string target = rules::VerificationTarget(user.record["Attributes"], PendingOf(user.record), name);
  if (target.empty()) {
    // Unconfirmed wording: no sample of AWS's answer for a user without the attribute was found.
    throw errors::InvalidParameter("User does not have the attribute " + name + ".");
  }
  const json previous = user.record;
  CountHourlyAttempt(user.record, "VerificationCodeRequests", kCodeRequestsPerHour, ctx.clock.NowSeconds());
  const Delivery delivery = DeliveryTo(name, target);
  SendCode(ctx, grant.pool, user, delivery, CodePurpose(name), kVerificationCodeSeconds,
           "GetUserAttributeVerificationCode");
  PutUser(ctx, grant.pool, user, &previous);
  return {{"CodeDeliveryDetails", delivery.details}};
}

json VerifyUserAttribute(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  const std::string name = VerifiableName(in);
  UserRef& user = grant.user;
  const json previous = user.record;
  const int64_t now = ctx.clock.NowSeconds();
  CountHourlyAttempt(user.record, "VerifyAttributeAttempts", kVerifyAttemptsPerHour, now);
  try {
    // CodeMismatchException for a wrong code; ExpiredCodeException past 24 hours or when no code
    // was sent (the messages of every code check, common.h).
    ConsumeCode(user.record, CodePurpose(name), Str(in, "Code"), now);
  } catch (const ApiError& e) {
    PutUser(ctx, grant.pool, user, &previous);  // the attempt counts
    ctx.CommitAndThrow(e);
  }
  json attributes = user.record["Attributes"];
  json pending = PendingOf(user.record);
  rules::ApplyVerification(attributes, pending, name);
  user.record["Attributes"] = attributes;
  SetPending(user.record, pending);
  user.record["UserLastModifiedDate"] = ctx.now();
  // Now an alias: taken over from another user who holds it (AliasAttributes). A value that is
  // another user's sign-in name (UsernameAttributes) throws AliasExistsException from Store, and
  // the whole call (the used code included) rolls back.
  MoveNewlyVerifiedAliases(ctx, grant.pool, user, previous);
  Store(ctx, grant.pool, user, previous);
  return json::object();
}

}  // namespace cogemu::idp
