// Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode, and AdminConfirmSignUp.
#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/password.h"
#include "emulator/idp/common.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/outbox.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/attributes.h"
#include "emulator/idp/rules/password_policy.h"
#include "emulator/idp/rules/usernames.h"
#include "emulator/protocol/validator.h"

namespace cogemu::idp {
namespace {

using api::Has;
using api::OptStr;
using api::Str;

constexpr int64_t kSignUpCodeSeconds = 24 * 3600;
constexpr int kConfirmSignUpPerHour = 15;
constexpr int kResendPerHour = 5;

}  // namespace

json SignUp(api::Context& ctx, const json& in) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  const std::string username = in["Username"];
  CheckSecretHash(client, OptStr(in, "SecretHash"), {username});
  if (pool["AdminCreateUserConfig"].value("AllowAdminCreateUserOnly", false)) {
    throw errors::NotAuthorized("SignUp is not permitted for this user pool");
  }
  if (!Has(in, "Password")) {
    const protocol::ValidationFailure missing = protocol::MissingMember("password");
    throw ApiError(missing.code, missing.message);
  }
  const std::string password = in["Password"];

  json attrs = rules::CheckAttributeWrites(
      pool["SchemaAttributes"], in.value("UserAttributes", json::array()),
      rules::AttributeCheck{true, rules::AttributeWriter::kSelf,
                            client.contains("WriteAttributes") ? &client["WriteAttributes"] : nullptr});
  // Verification flags are not the user's to set at sign-up.
  attrs.erase("email_verified");
  attrs.erase("phone_number_verified");

  std::string canonical = username;
  if (PoolUsesUsernameAttributes(pool)) {
    const std::string attribute = rules::UsernameAttributeFor(pool["UsernameAttributes"], username);
    attrs[attribute] = username;
  } else {
    rules::CheckUsernameAgainstAliases(pool.value("AliasAttributes", json::array()), username);
  }
  rules::CheckRequiredAttributes(pool["SchemaAttributes"], attrs);
  rules::EnforcePasswordPolicy(pool["Policies"]["PasswordPolicy"], password,
                               rules::PasswordContext::kSelfService);

  const std::string sub = ctx.random.Uuid4();
  UserRef user = NewUser(ctx, pool, canonical, attrs, sub);
  user.record["UserStatus"] = "UNCONFIRMED";
  canonical = user.record["Username"];
  SetPassword(ctx, pool, user.record, password);
  if (!PoolUsesUsernameAttributes(pool) && FindUserByUsername(ctx.txn, pool, canonical)) {
    throw ApiError("UsernameExistsException", "User already exists");
  }
  json out = {{"UserConfirmed", false}, {"UserSub", sub}};
  if (auto delivery = AutoVerifyDelivery(pool, user.record)) {
    SendCode(ctx, pool, user, *delivery, "signup", kSignUpCodeSeconds, "SignUp");
    out["CodeDeliveryDetails"] = delivery->details;
  }
  PutUser(ctx, pool, user, nullptr);
  return out;
}

json ConfirmSignUp(api::Context& ctx, const json& in) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  const std::string username = in["Username"];
  auto found = FindUserForSignIn(ctx.txn, pool, username);
  CheckSecretHash(client, OptStr(in, "SecretHash"),
                  {username, found ? found->record["Username"].get<std::string>() : std::string()});
  if (!found) {
    if (HidesUserExistence(client)) {
      throw ApiError("CodeMismatchException", "Invalid verification code provided, please try again.");
    }
    throw errors::UserNotFound();
  }
  UserRef user = *found;
  const json previous = user.record;
  const std::string status = user.record["UserStatus"];
  if (status != "UNCONFIRMED") {
    throw errors::NotAuthorized("User cannot be confirmed. Current status is " + status);
  }
  // AWS's quota: 15 confirmation attempts per user per hour; the model declares
  // TooManyFailedAttemptsException for it (judgement call: AWS publishes no sample).
  const ApiError too_many("TooManyFailedAttemptsException", "Too many failed attempts, please try after some time.");
  json entry;
  try {
    CountHourlyAttempt(user.record, "ConfirmSignUpAttempts", kConfirmSignUpPerHour, ctx.clock.NowSeconds(), &too_many);
    entry = ConsumeCode(user.record, "signup", in["ConfirmationCode"], ctx.clock.NowSeconds());
  } catch (const ApiError& e) {
    PutUser(ctx, pool, user, &previous);  // the attempt counts
    ctx.CommitAndThrow(e);
  }
  user.record.erase("ConfirmSignUpAttempts");
  user.record["UserStatus"] = "CONFIRMED";
  if (entry.contains("attribute")) {
    const std::string attribute = entry["attribute"];
    user.record["Attributes"][attribute + "_verified"] = "true";
    if (api::Bool(in, "ForceAliasCreation", false)) TakeAliasFromOthers(ctx, pool, user, attribute);
  }
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

json ResendConfirmationCode(api::Context& ctx, const json& in) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  const std::string username = in["Username"];
  auto found = FindUserForSignIn(ctx.txn, pool, username);
  CheckSecretHash(client, OptStr(in, "SecretHash"),
                  {username, found ? found->record["Username"].get<std::string>() : std::string()});
  if (!found) throw errors::UserNotFound();
  UserRef user = *found;
  const json previous = user.record;
  if (user.record["UserStatus"] != "UNCONFIRMED") {
    throw errors::InvalidParameter("User is already confirmed.");
  }
  auto delivery = AutoVerifyDelivery(pool, user.record);
  if (!delivery) {
    throw errors::InvalidParameter("Auto verification not turned on.");
  }
  CountHourlyAttempt(user.record, "ResendConfirmationCodeRequests", kResendPerHour, ctx.clock.NowSeconds());
  SendCode(ctx, pool, user, *delivery, "signup", kSignUpCodeSeconds, "ResendConfirmationCode");
  PutUser(ctx, pool, user, &previous);
  return {{"CodeDeliveryDetails", delivery->details}};
}

json AdminConfirmSignUp(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json previous = user.record;
  const std::string status = user.record["UserStatus"];
  if (status != "UNCONFIRMED") {
    throw errors::NotAuthorized("User cannot be confirmed. Current status is " + status);
  }
  user.record["UserStatus"] = "CONFIRMED";
  if (user.record.contains("Codes")) user.record["Codes"].erase("signup");
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

}  // namespace cogemu::idp
