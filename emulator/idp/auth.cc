// Sign-in: InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge /
// AdminRespondToAuthChallenge, enforced as AWS enforces them: the client's ExplicitAuthFlows,
// SECRET_HASH, unknown users per PreventUserExistenceErrors, disabled and unconfirmed users,
// temporary passwords and their expiry, and the lockout after repeated failures, all timed by
// the emulator clock.
#include <algorithm>
#include <cmath>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/password.h"
#include "emulator/idp/common.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/attributes.h"
#include "emulator/idp/rules/password_policy.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

using api::Has;
using api::Str;

// Lockout: from the 5th consecutive failure the user is locked for 2^(n-5) s, up to 15 min;
// the count resets after 15 min without a failure.
constexpr int kFreeFailures = 5;
constexpr int64_t kMaxLockSeconds = 15 * 60;
constexpr int64_t kFailureMemorySeconds = 15 * 60;

const ApiError kIncorrect = errors::NotAuthorized("Incorrect username or password.");

bool HasFlow(const json& client, std::initializer_list<const char*> names) {
  const json flows = client.value("ExplicitAuthFlows", json::array());
  return std::any_of(flows.begin(), flows.end(), [&](const json& f) {
    return std::any_of(names.begin(), names.end(), [&](const char* n) { return f == n; });
  });
}

bool UsesLegacyFlowsOnly(const json& client) {
  const json flows = client.value("ExplicitAuthFlows", json::array());
  return std::none_of(flows.begin(), flows.end(),
                      [](const json& f) { return f.get<std::string>().rfind("ALLOW_", 0) == 0; });
}

[[noreturn]] void FlowNotEnabled(const std::string& flow) {
  throw errors::InvalidParameter(flow + " flow not enabled for this client");
}

[[noreturn]] void FlowNotImplemented(const std::string& flow) {
  throw ApiError("NotImplementedException",
                 "cognito-emulator does not implement the " + flow + " auth flow yet.", 501);
}

std::string Param(const json& params, const char* name) {
  auto it = params.find(name);
  return it != params.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string RequireParam(const json& params, const char* name) {
  std::string v = Param(params, name);
  if (v.empty()) throw errors::InvalidParameter(std::string("Missing required parameter ") + name);
  return v;
}

// Counts a failed password; throws after committing the count.
[[noreturn]] void FailPassword(api::Context& ctx, const json& pool, UserRef& user) {
  const json previous = user.record;
  const int64_t now = ctx.clock.NowSeconds();
  json lock = user.record.value("Lockout", json::object());
  int64_t failures = lock.value("failures", 0);
  if (now - lock.value("last_failure", int64_t{0}) > kFailureMemorySeconds) failures = 0;
  ++failures;
  lock["failures"] = failures;
  lock["last_failure"] = now;
  if (failures >= kFreeFailures) {
    const int64_t exponent = std::min<int64_t>(failures - kFreeFailures, 20);
    lock["locked_until"] = now + std::min<int64_t>(int64_t{1} << exponent, kMaxLockSeconds);
  }
  user.record["Lockout"] = lock;
  PutUser(ctx, pool, user, &previous);
  ctx.CommitAndThrow(kIncorrect);
}

json NewPasswordChallenge(api::Context& ctx, const json& pool, const json& client, const UserRef& user) {
  json visible = user.record["Attributes"];
  visible.erase("sub");
  json required = json::array();
  for (const auto& a : pool["SchemaAttributes"]) {
    const std::string name = a["Name"];
    if (name != "sub" && a.value("Required", false) && !user.record["Attributes"].contains(name)) {
      required.push_back("userAttributes." + name);
    }
  }
  return {{"ChallengeName", "NEW_PASSWORD_REQUIRED"},
          {"Session", CreateSession(ctx, pool, client, user, "NEW_PASSWORD_REQUIRED")},
          {"ChallengeParameters",
           {{"USER_ID_FOR_SRP", user.record["Username"]},
            {"requiredAttributes", required.dump()},
            {"userAttributes", visible.dump()}}}};
}

// USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH.
json PasswordSignIn(api::Context& ctx, const json& pool, const json& client, const json& params) {
  const std::string username = RequireParam(params, "USERNAME");
  const std::string password = RequireParam(params, "PASSWORD");
  auto found = FindUserForSignIn(ctx.txn, pool, username);
  const std::string secret_hash = Param(params, "SECRET_HASH");
  CheckSecretHash(client, secret_hash.empty() ? std::nullopt : std::optional<std::string>(secret_hash),
                  {username, found ? found->record["Username"].get<std::string>() : std::string()});
  if (!found) {
    if (HidesUserExistence(client)) throw kIncorrect;
    throw errors::UserNotFound();
  }
  UserRef user = *found;
  const int64_t now = ctx.clock.NowSeconds();
  const json lock = user.record.value("Lockout", json::object());
  if (lock.value("locked_until", int64_t{0}) > now) throw errors::NotAuthorized("Password attempts exceeded");
  if (!user.record.value("Enabled", true)) throw errors::NotAuthorized("User is disabled.");
  const std::string status = user.record["UserStatus"];
  if (status == "UNCONFIRMED") throw ApiError("UserNotConfirmedException", "User is not confirmed.");
  if (status == "RESET_REQUIRED") {
    throw ApiError("PasswordResetRequiredException", "Password reset required for the user");
  }
  auto stored = user.record.contains("Password") ? crypto::PasswordHash::FromJson(user.record["Password"])
                                                 : std::nullopt;
  if (!stored || !crypto::VerifyPassword(password, *stored)) FailPassword(ctx, pool, user);
  if (user.record.contains("Lockout")) {
    const json previous = user.record;
    user.record.erase("Lockout");
    PutUser(ctx, pool, user, &previous);
  }
  if (status == "FORCE_CHANGE_PASSWORD") {
    if (user.record.value("TemporaryPasswordExpires", int64_t{0}) <= now) {
      throw errors::NotAuthorized("Temporary password has expired and must be reset by an administrator.");
    }
    return NewPasswordChallenge(ctx, pool, client, user);
  }
  return {{"ChallengeParameters", json::object()},
          {"AuthenticationResult", IssueTokens(ctx, pool, client, user, SessionFacts{}, true)}};
}

json RefreshSignIn(api::Context& ctx, const json& pool, const json& client, const json& params) {
  const std::string token = RequireParam(params, "REFRESH_TOKEN");
  RefreshGrant grant = RedeemRefreshToken(ctx, pool, client, token);
  const std::string secret_hash = Param(params, "SECRET_HASH");
  CheckSecretHash(client, secret_hash.empty() ? std::nullopt : std::optional<std::string>(secret_hash),
                  {Param(params, "USERNAME"), grant.user.record["Username"].get<std::string>(),
                   grant.user.record["Attributes"].value("sub", "")});
  return {{"ChallengeParameters", json::object()},
          {"AuthenticationResult", IssueTokens(ctx, pool, client, grant.user, grant.facts, false)}};
}

json Initiate(api::Context& ctx, const json& in, bool admin) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  if (admin && pool["Id"] != in["UserPoolId"]) throw errors::UserPoolClientNotFound(in["ClientId"]);
  const std::string flow = in["AuthFlow"];
  const json params = in.contains("AuthParameters") && in["AuthParameters"].is_object()
                          ? in["AuthParameters"]
                          : json::object();
  if (flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN") {
    if (!UsesLegacyFlowsOnly(client) && !HasFlow(client, {"ALLOW_REFRESH_TOKEN_AUTH"})) {
      FlowNotEnabled("REFRESH_TOKEN_AUTH");
    }
    return RefreshSignIn(ctx, pool, client, params);
  }
  if (flow == "USER_PASSWORD_AUTH" && !admin) {
    if (!HasFlow(client, {"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"})) FlowNotEnabled(flow);
    return PasswordSignIn(ctx, pool, client, params);
  }
  if ((flow == "ADMIN_USER_PASSWORD_AUTH" || flow == "ADMIN_NO_SRP_AUTH") && admin) {
    if (!HasFlow(client, {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})) FlowNotEnabled(flow);
    return PasswordSignIn(ctx, pool, client, params);
  }
  if (flow == "USER_SRP_AUTH") {
    if (!UsesLegacyFlowsOnly(client) && !HasFlow(client, {"ALLOW_USER_SRP_AUTH"})) FlowNotEnabled(flow);
    FlowNotImplemented(flow);
  }
  if (flow == "CUSTOM_AUTH") {
    if (!HasFlow(client, {"ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"})) FlowNotEnabled(flow);
    FlowNotImplemented(flow);
  }
  if (flow == "USER_AUTH") {
    if (!HasFlow(client, {"ALLOW_USER_AUTH"})) FlowNotEnabled(flow);
    FlowNotImplemented(flow);
  }
  throw errors::InvalidParameter("Initiate Auth method not supported.");
}

json NewPasswordRequired(api::Context& ctx, const json& pool, const json& client, const json& in) {
  const json responses = in.contains("ChallengeResponses") && in["ChallengeResponses"].is_object()
                             ? in["ChallengeResponses"]
                             : json::object();
  const std::string username = RequireParam(responses, "USERNAME");
  const std::string password = RequireParam(responses, "NEW_PASSWORD");
  const std::string session = Str(in, "Session");
  if (session.empty()) throw errors::InvalidParameter("Missing required parameter Session");
  auto found = FindUserForSignIn(ctx.txn, pool, username);
  const std::string secret_hash = Param(responses, "SECRET_HASH");
  CheckSecretHash(client, secret_hash.empty() ? std::nullopt : std::optional<std::string>(secret_hash),
                  {username, found ? found->record["Username"].get<std::string>() : std::string()});
  json bound = RedeemSession(ctx, pool, client, session, "NEW_PASSWORD_REQUIRED");
  if (!found || found->key != bound["UserKey"]) {
    ctx.CommitAndThrow(errors::NotAuthorized("Invalid session for the user, session is expired."));
  }
  UserRef user = *found;
  const json previous = user.record;
  if (!user.record.value("Enabled", true)) throw errors::NotAuthorized("User is disabled.");
  json writes = json::array();
  for (auto it = responses.begin(); it != responses.end(); ++it) {
    const std::string& key = it.key();
    if (key.rfind("userAttributes.", 0) == 0 && it->is_string()) {
      writes.push_back({{"Name", key.substr(15)}, {"Value", *it}});
    }
  }
  json attrs = rules::CheckAttributeWrites(
      pool["SchemaAttributes"], writes,
      rules::AttributeCheck{true, rules::AttributeWriter::kSelf,
                            client.contains("WriteAttributes") ? &client["WriteAttributes"] : nullptr});
  json merged = user.record["Attributes"];
  for (auto it = attrs.begin(); it != attrs.end(); ++it) merged[it.key()] = it.value();
  rules::CheckRequiredForNewPassword(pool["SchemaAttributes"], merged);
  rules::EnforcePasswordPolicy(pool["Policies"]["PasswordPolicy"], password, rules::PasswordContext::kSelfService);
  user.record["Attributes"] = merged;
  SetPassword(ctx, pool, user.record, password);
  user.record["UserStatus"] = "CONFIRMED";
  user.record.erase("TemporaryPasswordExpires");
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  return {{"ChallengeParameters", json::object()},
          {"AuthenticationResult", IssueTokens(ctx, pool, client, user, SessionFacts{}, true)}};
}

json Respond(api::Context& ctx, const json& in, bool admin) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  if (admin && pool["Id"] != in["UserPoolId"]) throw errors::UserPoolClientNotFound(in["ClientId"]);
  const std::string challenge = in["ChallengeName"];
  if (challenge == "NEW_PASSWORD_REQUIRED") return NewPasswordRequired(ctx, pool, client, in);
  throw ApiError("NotImplementedException",
                 "cognito-emulator does not implement the " + challenge + " challenge yet.", 501);
}

}  // namespace

json InitiateAuth(api::Context& ctx, const json& in) { return Initiate(ctx, in, false); }
json AdminInitiateAuth(api::Context& ctx, const json& in) { return Initiate(ctx, in, true); }
json RespondToAuthChallenge(api::Context& ctx, const json& in) { return Respond(ctx, in, false); }
json AdminRespondToAuthChallenge(api::Context& ctx, const json& in) { return Respond(ctx, in, true); }

}  // namespace cogemu::idp
