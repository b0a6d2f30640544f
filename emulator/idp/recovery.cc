// Password recovery: ForgotPassword / ConfirmForgotPassword, AdminResetUserPassword, and
// ChangePassword, as AWS enforces them: the pool's AccountRecoverySetting, verified channels
// only, PreventUserExistenceErrors, 1-hour codes and the ChangePassword hourly limit, all timed
// by the emulator clock.
#include <algorithm>
#include <vector>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/password.h"
#include "emulator/idp/common.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/outbox.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/masking.h"
#include "emulator/idp/rules/password_policy.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

using api::OptStr;
using api::Str;

constexpr int64_t kForgotCodeSeconds = 3600;
constexpr int kChangePasswordPerHour = 5;
constexpr int kForgotCodeGuesses = 5;
// AWS does not publish its limit on recovery codes per user; with five guesses each this keeps a
// six-digit code out of reach.
constexpr int kForgotRequestsPerHour = 10;

const char* kNoVerifiedChannel =
    "Cannot reset password for the user as there is no registered/verified email or phone_number";

// Attribute names of the recovery channels, in priority order. Without AccountRecoverySetting:
// verified phone first, then verified email. `admin_only` is reported through *admin_only.
std::vector<std::string> RecoveryOrder(const json& pool, bool* admin_only) {
  *admin_only = false;
  auto setting = pool.find("AccountRecoverySetting");
  if (setting == pool.end() || !setting->is_object() || !setting->contains("RecoveryMechanisms") ||
      !(*setting)["RecoveryMechanisms"].is_array() || (*setting)["RecoveryMechanisms"].empty()) {
    return {"phone_number", "email"};
  }
  std::vector<json> mechanisms((*setting)["RecoveryMechanisms"].begin(), (*setting)["RecoveryMechanisms"].end());
  std::stable_sort(mechanisms.begin(), mechanisms.end(), [](const json& a, const json& b) {
    return a.value("Priority", 0) < b.value("Priority", 0);
  });
  std::vector<std::string> order;
  for (const json& m : mechanisms) {
    const std::string name = m.value("Name", "");
    if (name == "verified_email") order.push_back("email");
    if (name == "verified_phone_number") order.push_back("phone_number");
    if (name == "admin_only") *admin_only = true;
  }
  return order;
}

// The first channel in `order` the user has and has verified.
std::optional<Delivery> VerifiedChannel(const std::vector<std::string>& order, const json& record) {
  const json& attrs = record["Attributes"];
  for (const std::string& name : order) {
    if (attrs.contains(name) && attrs.value(name + "_verified", "") == "true") {
      return DeliveryTo(name, attrs[name].get<std::string>());
    }
  }
  return std::nullopt;
}

// CodeDeliveryDetails for a request AWS answers without sending anything
// (PreventUserExistenceErrors=ENABLED): the user's own channel when there is one, otherwise a
// masked destination derived from what was typed.
json SimulatedDelivery(const json& pool, const std::string& username, const UserRef* user) {
  bool admin_only = false;
  std::vector<std::string> order = RecoveryOrder(pool, &admin_only);
  if (user) {
    const json& attrs = user->record["Attributes"];
    for (const std::string& name : order) {
      if (attrs.contains(name)) return DeliveryTo(name, attrs[name].get<std::string>()).details;
    }
  }
  if (username.find('@') != std::string::npos) return DeliveryTo("email", username).details;
  if (!username.empty() && username[0] == '+') return DeliveryTo("phone_number", username).details;
  // Without AccountRecoverySetting AWS prefers the phone, but pools mostly verify email; follow
  // the first mechanism when one is set, email otherwise.
  const json setting = pool.value("AccountRecoverySetting", json::object());
  const std::string attribute = setting.is_object() && setting.contains("RecoveryMechanisms") && !order.empty()
                                    ? order.front()
                                    : std::string("email");
  if (attribute == "phone_number") return DeliveryTo("phone_number", "+10000000000").details;
  return DeliveryTo("email", (username.empty() ? std::string("user") : username) + "@example.com").details;
}

}  // namespace

json ForgotPassword(api::Context& ctx, const json& in) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  const std::string username = Str(in, "Username");
  auto found = FindUserForSignIn(ctx.txn, pool, username);
  CheckSecretHash(client, OptStr(in, "SecretHash"),
                  {username, found ? found->record["Username"].get<std::string>() : std::string()});
  bool admin_only = false;
  const std::vector<std::string> order = RecoveryOrder(pool, &admin_only);
  if (admin_only) throw errors::NotAuthorized("Contact administrator to reset password.");
  const bool hide = HidesUserExistence(client);
  if (!found) {
    if (hide) return {{"CodeDeliveryDetails", SimulatedDelivery(pool, username, nullptr)}};
    throw errors::UserNotFound();
  }
  UserRef user = *found;
  if (!user.record.value("Enabled", true)) {
    if (hide) return {{"CodeDeliveryDetails", SimulatedDelivery(pool, username, &user)}};
    throw errors::NotAuthorized("User is disabled.");
  }
  auto delivery = VerifiedChannel(order, user.record);
  if (!delivery) {
    if (hide) return {{"CodeDeliveryDetails", SimulatedDelivery(pool, username, &user)}};
    throw errors::InvalidParameter(kNoVerifiedChannel);
  }
  const json previous = user.record;
  CountHourlyAttempt(user.record, "ForgotPasswordRequests", kForgotRequestsPerHour, ctx.clock.NowSeconds());
  SendCode(ctx, pool, user, *delivery, "forgot", kForgotCodeSeconds, "ForgotPassword");
  PutUser(ctx, pool, user, &previous);
  return {{"CodeDeliveryDetails", delivery->details}};
}

json ConfirmForgotPassword(api::Context& ctx, const json& in) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  const std::string username = Str(in, "Username");
  auto found = FindUserForSignIn(ctx.txn, pool, username);
  CheckSecretHash(client, OptStr(in, "SecretHash"),
                  {username, found ? found->record["Username"].get<std::string>() : std::string()});
  const std::string password = Str(in, "Password");
  rules::CheckPasswordPattern(password, "password");
  const ApiError mismatch("CodeMismatchException", "Invalid verification code provided, please try again.");
  if (!found) {
    if (HidesUserExistence(client)) throw mismatch;
    throw errors::UserNotFound();
  }
  UserRef user = *found;
  if (!user.record.value("Enabled", true)) {
    if (HidesUserExistence(client)) throw mismatch;
    throw errors::NotAuthorized("User is disabled.");
  }
  const json previous = user.record;
  try {
    // Five wrong guesses spend the code (observed: CodeMismatchException five times, then
    // LimitExceededException).
    ConsumeCode(user.record, "forgot", Str(in, "ConfirmationCode"), ctx.clock.NowSeconds(), kForgotCodeGuesses);
  } catch (const ApiError& e) {
    PutUser(ctx, pool, user, &previous);  // the wrong guess counts
    ctx.CommitAndThrow(e);
  }
  // A weak password throws here and rolls the whole call back, so the code stays usable.
  rules::EnforcePasswordPolicy(pool["Policies"]["PasswordPolicy"], password, rules::PasswordContext::kSelfService);
  SetPassword(ctx, pool, user.record, password);
  user.record["UserStatus"] = "CONFIRMED";
  user.record.erase("TemporaryPasswordExpires");
  user.record.erase("Lockout");
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

json AdminResetUserPassword(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json previous = user.record;
  bool admin_only = false;
  std::vector<std::string> order = RecoveryOrder(pool, &admin_only);
  if (order.empty()) order = {"phone_number", "email"};  // admin_only: the code still goes out
  auto delivery = VerifiedChannel(order, user.record);
  if (!delivery) throw errors::InvalidParameter(kNoVerifiedChannel);
  SendCode(ctx, pool, user, *delivery, "forgot", kForgotCodeSeconds, "AdminResetUserPassword");
  user.record["UserStatus"] = "RESET_REQUIRED";
  user.record.erase("TemporaryPasswordExpires");
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

json ChangePassword(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  const json& pool = grant.pool;
  UserRef user = grant.user;
  const std::string proposed = Str(in, "ProposedPassword");
  rules::CheckPasswordPattern(proposed, "proposedPassword");
  const json previous = user.record;
  const int64_t now = ctx.clock.NowSeconds();

  // Attempts in the last hour, successful or not.
  CountHourlyAttempt(user.record, "ChangePasswordAttempts", kChangePasswordPerHour, now);

  auto stored = user.record.contains("Password") ? crypto::PasswordHash::FromJson(user.record["Password"])
                                                 : std::nullopt;
  if (!stored || !crypto::VerifyPassword(Str(in, "PreviousPassword"), *stored)) {
    PutUser(ctx, pool, user, &previous);
    ctx.CommitAndThrow(errors::NotAuthorized("Incorrect username or password."));
  }
  try {
    rules::EnforcePasswordPolicy(pool["Policies"]["PasswordPolicy"], proposed, rules::PasswordContext::kSelfService);
  } catch (const ApiError& e) {
    PutUser(ctx, pool, user, &previous);  // the attempt still counts
    ctx.CommitAndThrow(e);
  }
  SetPassword(ctx, pool, user.record, proposed);
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

}  // namespace cogemu::idp
