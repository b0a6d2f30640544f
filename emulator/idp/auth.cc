// Sign-in: InitiateAuth / AdminInitiateAuth and RespondToAuthChallenge /
// AdminRespondToAuthChallenge, enforced as AWS enforces them: the client's ExplicitAuthFlows,
// SECRET_HASH, unknown users per PreventUserExistenceErrors, disabled and unconfirmed users,
// temporary passwords and their expiry, SRP proofs, one-time codes, and the lockout after
// repeated failures, all timed by the emulator clock. What follows a first factor (a new
// password, MFA, the remembered device, tokens) is idp/sign_in.h's.
#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/srp.h"
#include "emulator/idp/common.h"
#include "emulator/idp/devices.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/mfa.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/attributes.h"
#include "emulator/idp/rules/masking.h"
#include "emulator/idp/rules/password_policy.h"
#include "emulator/idp/sign_in.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

using api::Str;

const ApiError kIncorrect = errors::NotAuthorized("Incorrect username or password.");
const ApiError kCodeMismatch("CodeMismatchException", "Invalid code or auth state for the user.");

bool HasFlow(const json& client, std::initializer_list<const char*> names) {
  const json flows = client.value("ExplicitAuthFlows", json::array());
  return std::any_of(flows.begin(), flows.end(), [&](const json& f) {
    return std::any_of(names.begin(), names.end(), [&](const char* n) { return f == n; });
  });
}

bool UsesLegacyFlowsOnly(const json& client) {
  const json flows = client.value("ExplicitAuthFlows", json::array());
  return std::none_of(flows.begin(), flows.end(), [](const json& f) {
    return f.is_string() && f.get<std::string>().rfind("ALLOW_", 0) == 0;
  });
}

[[noreturn]] void FlowNotEnabled(const std::string& flow) {
  throw errors::InvalidParameter(flow + " flow not enabled for this client");
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

std::optional<std::string> OptParam(const json& params, const char* name) {
  std::string v = Param(params, name);
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

json ObjectMember(const json& in, const char* name) {
  auto it = in.find(name);
  return it != in.end() && it->is_object() ? *it : json::object();
}

std::string PoolName(const json& pool) {
  const std::string id = pool["Id"];
  return id.substr(id.find('_') + 1);
}

SignInScope Scope(const api::Context& ctx, const json& in, bool admin) {
  const std::string client_id = in["ClientId"];
  auto client = FindClient(ctx.txn, client_id);
  if (!client) throw errors::UserPoolClientNotFound(client_id);
  auto record = FindPool(ctx.txn, (*client)["UserPoolId"].get<std::string>());
  if (!record) throw errors::UserPoolClientNotFound(client_id);
  if (admin && (*record)["pool"]["Id"] != in["UserPoolId"]) throw errors::UserPoolClientNotFound(client_id);
  return SignInScope(std::move(record), std::move(client));
}

// What stops any sign-in before its first factor is checked.
void CheckCanSignIn(const json& record, int64_t now) {
  CheckNotLocked(record, now);
  if (!record.value("Enabled", true)) throw errors::NotAuthorized("User is disabled.");
  const std::string status = record.value("UserStatus", "");
  if (status == "UNCONFIRMED") throw ApiError("UserNotConfirmedException", "User is not confirmed.");
  if (status == "RESET_REQUIRED") {
    throw ApiError("PasswordResetRequiredException", "Password reset required for the user");
  }
}

// The user a sign-in names, after SECRET_HASH; nullopt only when an unknown user must be
// simulated (PreventUserExistenceErrors ENABLED).
std::optional<UserRef> SignInUser(api::Context& ctx, const SignInScope& scope, const std::string& username,
                                  const json& params) {
  auto found = FindUserForSignIn(ctx.txn, scope.pool, username);
  CheckSecretHash(scope.client, OptParam(params, "SECRET_HASH"),
                  {username, found ? found->record["Username"].get<std::string>() : std::string()});
  if (!found && !HidesUserExistence(scope.client)) throw errors::UserNotFound();
  if (found) CheckCanSignIn(found->record, ctx.clock.NowSeconds());
  return found;
}

FlowState NewFlow(const std::string& typed, const json& params) {
  FlowState state;
  state.typed = typed;
  state.device_key = Param(params, "DEVICE_KEY");
  return state;
}

// A first factor of a password: the sign-in continues, or the failure counts.
json PasswordFactor(api::Context& ctx, const SignInScope& scope, UserRef& user, FlowState state,
                    const std::string& password) {
  if (!PasswordMatches(ctx, user.record, password)) CountFailureAndThrow(ctx, scope.pool, user, kIncorrect);
  ClearFailures(ctx, scope.pool, user);
  state.username = user.record["Username"];
  state.first_factor = "PASSWORD";
  return ContinueSignIn(ctx, scope, user, std::move(state));
}

// USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH.
json PasswordSignIn(api::Context& ctx, const SignInScope& scope, const json& params) {
  const std::string username = RequireParam(params, "USERNAME");
  const std::string password = RequireParam(params, "PASSWORD");
  auto user = SignInUser(ctx, scope, username, params);
  if (!user) throw kIncorrect;
  return PasswordFactor(ctx, scope, *user, NewFlow(username, params), password);
}

// USER_SRP_AUTH: PASSWORD_VERIFIER (simulated for an unknown user when existence is hidden).
json SrpSignIn(api::Context& ctx, const SignInScope& scope, const json& params) {
  const std::string username = RequireParam(params, "USERNAME");
  const std::string srp_a = RequireParam(params, "SRP_A");
  auto user = SignInUser(ctx, scope, username, params);
  FlowState state = NewFlow(username, params);
  state.first_factor = "PASSWORD_SRP";
  return StartSrp(ctx, scope, user ? &*user : nullptr, std::move(state), srp_a);
}

bool RotatesRefreshTokens(const json& client) {
  auto it = client.find("RefreshTokenRotation");
  return it != client.end() && it->is_object() && it->value("Feature", "DISABLED") == "ENABLED";
}

json RefreshSignIn(api::Context& ctx, const SignInScope& scope, const json& params) {
  const std::string token = RequireParam(params, "REFRESH_TOKEN");
  if (RotatesRefreshTokens(scope.client)) {
    // Unconfirmed wording: AWS says only that rotation must go through GetTokensFromRefreshToken.
    throw errors::InvalidParameter("Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken");
  }
  RefreshGrant grant = RedeemRefreshToken(ctx, scope.pool, scope.client, token, Param(params, "DEVICE_KEY"));
  CheckSecretHash(scope.client, OptParam(params, "SECRET_HASH"),
                  {Param(params, "USERNAME"), grant.user.record["Username"].get<std::string>(),
                   grant.user.record["Attributes"].value("sub", "")});
  return {{"ChallengeParameters", json::object()},
          {"AuthenticationResult", IssueTokens(ctx, scope.pool, scope.client, grant.user, grant.facts, false)}};
}

// ---- choice-based sign-in (USER_AUTH) ---------------------------------------------------------

std::vector<std::string> AllowedFirstFactors(const json& pool) {
  std::vector<std::string> out;
  const json factors = pool.value("Policies", json::object())
                           .value("SignInPolicy", json::object())
                           .value("AllowedFirstAuthFactors", json::array({"PASSWORD"}));
  for (const auto& f : factors) {
    if (f.is_string()) out.push_back(f.get<std::string>());
  }
  return out;
}

bool Allowed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The first factors `user` can choose, in AWS's order. An e-mail or SMS code needs a verified
// address (judgement call: AWS does not say whether an unverified one qualifies). WEB_AUTHN is
// never offered: the emulator has no passkeys yet.
std::vector<std::string> AvailableFirstFactors(const json& pool, const json* record) {
  const std::vector<std::string> allowed = AllowedFirstFactors(pool);
  std::vector<std::string> out;
  auto verified = [&](const char* name) {
    if (!record) return true;  // a simulated user seems to have everything the pool allows
    const json& attrs = (*record)["Attributes"];
    return attrs.contains(name) && attrs.value(std::string(name) + "_verified", "") == "true";
  };
  if (Allowed(allowed, "PASSWORD") && (!record || record->contains("Password"))) {
    out.push_back("PASSWORD");
    out.push_back("PASSWORD_SRP");
  }
  if (Allowed(allowed, "EMAIL_OTP") && verified("email")) out.push_back("EMAIL_OTP");
  if (Allowed(allowed, "SMS_OTP") && verified("phone_number")) out.push_back("SMS_OTP");
  return out;
}

json SimulatedCodeChallenge(api::Context& ctx, const SignInScope& scope, FlowState state, const std::string& factor) {
  // A made-up destination shaped like the name typed, so nothing tells the user does not exist.
  const bool email = factor == "EMAIL_OTP";
  std::string to = state.typed;
  if (email && to.find('@') == std::string::npos) to += "@example.com";
  if (!email && (to.empty() || to[0] != '+')) to = "+10000000000";
  state.fake = true;
  OpenedSession opened = OpenSession(ctx, scope.pool, scope.client, nullptr, factor, state.ToJson());
  return {{"ChallengeName", factor},
          {"Session", opened.session},
          {"ChallengeParameters",
           {{"CODE_DELIVERY_DELIVERY_MEDIUM", email ? "EMAIL" : "SMS"},
            {"CODE_DELIVERY_DESTINATION", rules::MaskDestination(email ? "email" : "phone_number", to)}}}};
}

// Answers a chosen first factor of USER_AUTH: a password (given now), SRP, or a code to send.
json ChosenFirstFactor(api::Context& ctx, const SignInScope& scope, std::optional<UserRef>& user, FlowState state,
                       const std::string& factor, const json& params) {
  if (factor == "PASSWORD") {
    const std::string password = RequireParam(params, "PASSWORD");
    if (!user) throw kIncorrect;
    return PasswordFactor(ctx, scope, *user, std::move(state), password);
  }
  if (factor == "PASSWORD_SRP") {
    state.first_factor = "PASSWORD_SRP";
    return StartSrp(ctx, scope, user ? &*user : nullptr, std::move(state), RequireParam(params, "SRP_A"));
  }
  if (!user) return SimulatedCodeChallenge(ctx, scope, std::move(state), factor);
  state.username = user->record["Username"];
  state.first_factor.clear();  // the code is the first factor
  return FactorChallenge(ctx, scope, *user, std::move(state), factor);
}

json ChoiceSignIn(api::Context& ctx, const SignInScope& scope, const json& params) {
  const std::string username = RequireParam(params, "USERNAME");
  auto user = SignInUser(ctx, scope, username, params);
  FlowState state = NewFlow(username, params);
  const std::vector<std::string> available = AvailableFirstFactors(scope.pool, user ? &user->record : nullptr);
  if (available.empty()) throw kIncorrect;  // nothing this user could sign in with
  const std::string preferred = Param(params, "PREFERRED_CHALLENGE");
  if (Allowed(available, preferred)) return ChosenFirstFactor(ctx, scope, user, std::move(state), preferred, params);
  // No preference, or one that is not available (judgement call): let the user choose.
  state.available = available;
  if (user) state.username = user->record["Username"];
  state.fake = !user;
  OpenedSession opened =
      OpenSession(ctx, scope.pool, scope.client, user ? &*user : nullptr, "SELECT_CHALLENGE", state.ToJson());
  json choices = json::array();
  for (const auto& c : available) choices.push_back(c);
  return {{"ChallengeName", "SELECT_CHALLENGE"},
          {"Session", opened.session},
          {"ChallengeParameters", json::object()},
          {"AvailableChallenges", choices}};
}

json Initiate(api::Context& ctx, const json& in, bool admin) {
  const SignInScope scope = Scope(ctx, in, admin);
  const json& client = scope.client;
  const std::string flow = in["AuthFlow"];
  const json params = ObjectMember(in, "AuthParameters");
  if (flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN") {
    if (!UsesLegacyFlowsOnly(client) && !HasFlow(client, {"ALLOW_REFRESH_TOKEN_AUTH"})) {
      FlowNotEnabled("REFRESH_TOKEN_AUTH");
    }
    return RefreshSignIn(ctx, scope, params);
  }
  if (flow == "USER_PASSWORD_AUTH" && !admin) {
    if (!HasFlow(client, {"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"})) FlowNotEnabled(flow);
    return PasswordSignIn(ctx, scope, params);
  }
  if ((flow == "ADMIN_USER_PASSWORD_AUTH" || flow == "ADMIN_NO_SRP_AUTH") && admin) {
    if (!HasFlow(client, {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})) FlowNotEnabled(flow);
    return PasswordSignIn(ctx, scope, params);
  }
  if (flow == "USER_SRP_AUTH") {
    if (!UsesLegacyFlowsOnly(client) && !HasFlow(client, {"ALLOW_USER_SRP_AUTH"})) FlowNotEnabled(flow);
    return SrpSignIn(ctx, scope, params);
  }
  if (flow == "CUSTOM_AUTH") {
    if (!HasFlow(client, {"ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"})) FlowNotEnabled(flow);
    // Custom challenges are defined by Lambda triggers, which the emulator does not call yet.
    throw ApiError("NotImplementedException",
                   "cognito-emulator does not implement the CUSTOM_AUTH auth flow yet (it needs Lambda triggers).", 501);
  }
  if (flow == "USER_AUTH") {
    if (!HasFlow(client, {"ALLOW_USER_AUTH"})) FlowNotEnabled(flow);
    return ChoiceSignIn(ctx, scope, params);
  }
  throw errors::InvalidParameter("Initiate Auth method not supported.");
}

// ---- answers --------------------------------------------------------------------------------

struct Answer {
  const SignInScope& scope;
  const json& in;
  json responses;
  std::string name;
};

// The session an answer names by its Session member.
LiveSession AnswerSession(api::Context& ctx, const Answer& a) {
  const std::string session = Str(a.in, "Session");
  if (session.empty()) throw errors::InvalidParameter("Missing required parameter Session");
  return RequireSession(ctx, a.scope.pool, a.scope.client, session, SessionName::kSession, a.name);
}

// USERNAME and SECRET_HASH of an answer: the name must be the session's user (by any of its
// names), and the hash may be computed over any of them.
void CheckAnswerer(api::Context& ctx, const Answer& a, const LiveSession& live, const FlowState& state) {
  const std::string username = RequireParam(a.responses, "USERNAME");
  std::string sub;
  if (live.user) sub = live.user->record["Attributes"].value("sub", "");
  CheckSecretHash(a.scope.client, OptParam(a.responses, "SECRET_HASH"), {username, state.username, state.typed, sub});
  if (!live.user) return;
  if (username == state.username || username == state.typed || username == sub) return;
  auto named = FindUserForSignIn(ctx.txn, a.scope.pool, username);
  if (!named || named->key != live.user->key) throw errors::NotAuthorized("Invalid session for the user.");
}

void CheckUserStillEnabled(api::Context& ctx, const LiveSession& live) {
  if (live.user && !live.user->record.value("Enabled", true)) {
    ConsumeSession(ctx, live);
    ctx.CommitAndThrow(errors::NotAuthorized("User is disabled."));
  }
}

// TIMESTAMP of an SRP proof: AWS's format, within --max-clock-skew of the emulator clock.
bool TimestampAcceptable(const api::Context& ctx, const std::string& timestamp) {
  const std::optional<int64_t> at = crypto::srp::ParseTimestamp(timestamp);
  if (!at) return false;
  const int64_t skew = ctx.config.max_clock_skew;
  return skew <= 0 || std::llabs(*at - ctx.clock.NowSeconds()) <= skew;
}

// What a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER answer carries, with its live session.
struct Proof {
  LiveSession live;
  FlowState state;
  std::string block;  // the SECRET_BLOCK's bytes
  std::string signature;
  std::string timestamp;
};

// Both proofs name their session by the SECRET_BLOCK (and by Session when the client sends it;
// both must then name the same one), answered by the session's own user and client.
Proof OpenProof(api::Context& ctx, const Answer& a) {
  std::string signature = RequireParam(a.responses, "PASSWORD_CLAIM_SIGNATURE");
  std::string timestamp = RequireParam(a.responses, "TIMESTAMP");
  const std::string block = RequireParam(a.responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  LiveSession live =
      RequireSession(ctx, a.scope.pool, a.scope.client, block, SessionName::kSecretBlock, a.name);
  if (const std::string session = Str(a.in, "Session"); !session.empty()) {
    const auto from_session = crypto::Base64UrlDecode(session);
    if (!from_session || *from_session != crypto::Base64Decode(block)) {
      throw errors::NotAuthorized("Invalid session for the user.");
    }
  }
  FlowState state = FlowState::FromJson(live.session.state);
  CheckAnswerer(ctx, a, live, state);
  return Proof{std::move(live), std::move(state), crypto::Base64Decode(block).value_or(""), std::move(signature),
               std::move(timestamp)};
}

json AnswerPasswordVerifier(api::Context& ctx, const Answer& a) {
  auto [live, state, block, signature, timestamp] = OpenProof(ctx, a);
  if (state.fake || !live.user) {
    ConsumeSession(ctx, live);
    ctx.CommitAndThrow(kIncorrect);
  }
  UserRef user = *live.user;
  // An unknown device is reported before the session is used up: both JavaScript clients then
  // forget the device and send the same answer again without it.
  const std::string device_key = Param(a.responses, "DEVICE_KEY");
  if (!device_key.empty() && !FindConfirmedDevice(ctx.txn, a.scope.pool["Id"], user, device_key)) {
    throw errors::ResourceNotFound("Device does not exist.");
  }
  const int64_t now = ctx.clock.NowSeconds();
  const json lock = user.record.value("Lockout", json::object());
  if (lock.value("locked_until", int64_t{0}) > now) {
    ConsumeSession(ctx, live);
    ctx.CommitAndThrow(errors::NotAuthorized("Password attempts exceeded"));
  }
  CheckUserStillEnabled(ctx, live);
  const bool in_time = TimestampAcceptable(ctx, timestamp);
  const bool proved = in_time && SrpProofMatches(state, PoolName(a.scope.pool), state.username, block, timestamp, signature);
  ConsumeSession(ctx, live);
  if (!in_time) ctx.CommitAndThrow(kIncorrect);  // a stale or malformed TIMESTAMP proves nothing
  if (!proved) CountFailureAndThrow(ctx, a.scope.pool, user, kIncorrect);
  ClearFailures(ctx, a.scope.pool, user);
  if (!device_key.empty()) state.device_key = device_key;
  state.srp_key.clear();
  return ContinueSignIn(ctx, a.scope, user, std::move(state));
}

json AnswerDeviceSrp(api::Context& ctx, const Answer& a) {
  LiveSession live = AnswerSession(ctx, a);
  FlowState state = FlowState::FromJson(live.session.state);
  CheckAnswerer(ctx, a, live, state);
  UserRef user = *live.user;
  const std::string device_key = RequireParam(a.responses, "DEVICE_KEY");
  auto device = FindConfirmedDevice(ctx.txn, a.scope.pool["Id"], user, device_key);
  if (!device) throw errors::ResourceNotFound("Device does not exist.");
  const SrpServerHalf half = SrpServerSide(ctx, RequireParam(a.responses, "SRP_A"),
                                           crypto::srp::FromHex(device->verifier).value_or(""));
  ConsumeSession(ctx, live);
  state.device_key = device_key;
  state.srp_key = half.key_hex;
  OpenedSession opened =
      OpenSession(ctx, a.scope.pool, a.scope.client, &user, "DEVICE_PASSWORD_VERIFIER", state.ToJson());
  return {{"ChallengeName", "DEVICE_PASSWORD_VERIFIER"},
          {"Session", opened.session},
          {"ChallengeParameters",
           {{"SRP_B", half.b_hex},
            {"SALT", crypto::srp::ToHex(crypto::srp::FromHex(device->salt).value_or(""))},
            {"SECRET_BLOCK", opened.secret_block},
            {"USERNAME", state.username},
            {"DEVICE_KEY", device_key}}}};
}

json AnswerDevicePasswordVerifier(api::Context& ctx, const Answer& a) {
  auto [live, state, block, signature, timestamp] = OpenProof(ctx, a);
  UserRef user = *live.user;
  auto device = FindConfirmedDevice(ctx.txn, a.scope.pool["Id"], user, state.device_key);
  if (!device) throw errors::ResourceNotFound("Device does not exist.");
  CheckUserStillEnabled(ctx, live);
  const bool proved = TimestampAcceptable(ctx, timestamp) &&
                      SrpProofMatches(state, user.record.value("DeviceGroupKey", ""), device->key, block, timestamp,
                                      signature);
  ConsumeSession(ctx, live);
  // Unconfirmed wording: a wrong device proof is refused like a wrong password (not counted:
  // the device password is random, nobody types it).
  if (!proved) ctx.CommitAndThrow(kIncorrect);
  state.device_done = true;
  if (device->remembered && RememberedDevicesSkipMfa(a.scope.pool)) state.mfa_done = true;
  state.srp_key.clear();
  return ContinueSignIn(ctx, a.scope, user, std::move(state));
}

json AnswerNewPassword(api::Context& ctx, const Answer& a) {
  const std::string password = RequireParam(a.responses, "NEW_PASSWORD");
  LiveSession live = AnswerSession(ctx, a);
  FlowState state = FlowState::FromJson(live.session.state);
  CheckAnswerer(ctx, a, live, state);
  UserRef user = *live.user;
  CheckUserStillEnabled(ctx, live);
  const json& pool = a.scope.pool;
  const json previous = user.record;
  json writes = json::array();
  for (auto it = a.responses.begin(); it != a.responses.end(); ++it) {
    const std::string& key = it.key();
    if (key.rfind("userAttributes.", 0) == 0 && it->is_string()) {
      writes.push_back({{"Name", key.substr(15)}, {"Value", *it}});
    }
  }
  const json& client = a.scope.client;
  json attrs = rules::CheckAttributeWrites(
      pool["SchemaAttributes"], writes,
      rules::AttributeCheck{true, rules::AttributeWriter::kSelf,
                            client.contains("WriteAttributes") ? &client["WriteAttributes"] : nullptr});
  json merged = user.record["Attributes"];
  for (auto it = attrs.begin(); it != attrs.end(); ++it) merged[it.key()] = it.value();
  rules::CheckRequiredForNewPassword(pool["SchemaAttributes"], merged);
  rules::EnforcePasswordPolicy(pool["Policies"]["PasswordPolicy"], password, rules::PasswordContext::kSelfService);
  ConsumeSession(ctx, live);
  user.record["Attributes"] = merged;
  SetPassword(ctx, pool, user.record, password);
  user.record["UserStatus"] = "CONFIRMED";
  user.record.erase("TemporaryPasswordExpires");
  user.record["UserLastModifiedDate"] = ctx.now();
  PutUser(ctx, pool, user, &previous);
  state.new_password_done = true;
  return ContinueSignIn(ctx, a.scope, user, std::move(state));
}

// The code an answer carries for its challenge.
std::string AnswerCode(const Answer& a) {
  if (a.name == kSmsMfa) return RequireParam(a.responses, "SMS_MFA_CODE");
  if (a.name == kTotpMfa) return RequireParam(a.responses, "SOFTWARE_TOKEN_MFA_CODE");
  if (a.name == "SMS_OTP") return RequireParam(a.responses, "SMS_OTP_CODE");
  // EMAIL_OTP; the developer guide also spells the key EMAIL_MFA_CODE.
  if (auto code = OptParam(a.responses, "EMAIL_OTP_CODE")) return *code;
  return RequireParam(a.responses, "EMAIL_MFA_CODE");
}

// SMS_MFA, SOFTWARE_TOKEN_MFA and EMAIL_OTP as second factors; EMAIL_OTP and SMS_OTP as the
// first factor of choice-based sign-in. A wrong code keeps the session (clients let the user
// try again) and counts toward the lockout.
json AnswerCodeChallenge(api::Context& ctx, const Answer& a) {
  const std::string code = AnswerCode(a);
  LiveSession live = AnswerSession(ctx, a);
  FlowState state = FlowState::FromJson(live.session.state);
  CheckAnswerer(ctx, a, live, state);
  if (!live.user) throw kCodeMismatch;
  UserRef user = *live.user;
  const json& pool = a.scope.pool;
  const int64_t now = ctx.clock.NowSeconds();
  CheckNotLocked(user.record, now);
  CheckUserStillEnabled(ctx, live);
  const json previous = user.record;
  bool ok = false;
  if (a.name == kTotpMfa) {
    if (!UserMfa::Of(user.record).totp_secret) {
      throw ApiError("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user.");
    }
    ok = AcceptTotpCode(user.record, code, now);
  } else {
    ok = !state.code.empty() && crypto::ConstantTimeEquals(state.code, code);
  }
  if (!ok) CountFailureAndThrow(ctx, pool, user, kCodeMismatch);
  ConsumeSession(ctx, live);
  // A code delivered to an address proves the address (AWS marks it verified).
  const char* proven = a.name == kSmsMfa || a.name == "SMS_OTP" ? "phone_number"
                       : a.name == kEmailMfa                    ? "email"
                                                                : nullptr;
  if (!state.setup_email.empty() && a.name == kEmailMfa) {
    user.record["Attributes"]["email"] = state.setup_email;
    UserMfa mfa = UserMfa::Of(user.record);
    mfa.Enable(kEmailMfa);
    if (mfa.preferred.empty()) mfa.preferred = kEmailMfa;
    mfa.WriteTo(user.record);
    state.setup_email.clear();
  }
  if (proven && user.record["Attributes"].value(std::string(proven) + "_verified", "") != "true") {
    user.record["Attributes"][std::string(proven) + "_verified"] = "true";
    TakeAliasFromOthers(ctx, pool, user, proven);
  }
  user.record.erase("Lockout");
  if (user.record != previous) PutUser(ctx, pool, user, &previous);
  if (state.first_factor.empty()) {
    state.first_factor = a.name;
  } else {
    state.mfa_done = true;
  }
  state.code.clear();
  const std::string session = Str(a.in, "Session");
  const AnsweredSession answered{live, session};
  return ContinueSignIn(ctx, a.scope, user, std::move(state), &answered);
}

json AnswerSelectMfaType(api::Context& ctx, const Answer& a) {
  LiveSession live = AnswerSession(ctx, a);
  FlowState state = FlowState::FromJson(live.session.state);
  CheckAnswerer(ctx, a, live, state);
  std::string answer = RequireParam(a.responses, "ANSWER");
  if (answer == "EMAIL_MFA") answer = kEmailMfa;  // the developer guide's spelling
  if (!Allowed(state.available, answer)) {
    throw errors::InvalidParameter("Invalid ANSWER: " + answer + " is not one of the MFA types offered.");
  }
  UserRef user = *live.user;
  ConsumeSession(ctx, live);
  state.available.clear();
  return FactorChallenge(ctx, a.scope, user, std::move(state), answer);
}

// MFA_SETUP: answered with the Session of a successful VerifySoftwareToken (TOTP), or with an
// EMAIL address to set up e-mail MFA (a code goes there first, as an EMAIL_OTP challenge).
json AnswerMfaSetup(api::Context& ctx, const Answer& a) {
  LiveSession live = AnswerSession(ctx, a);
  FlowState state = FlowState::FromJson(live.session.state);
  CheckAnswerer(ctx, a, live, state);
  UserRef user = *live.user;
  CheckUserStillEnabled(ctx, live);
  if (state.totp_verified) {
    ConsumeSession(ctx, live);
    const json previous = user.record;
    UserMfa mfa = UserMfa::Of(user.record);
    mfa.Enable(kTotpMfa);
    if (mfa.preferred.empty()) mfa.preferred = kTotpMfa;
    mfa.WriteTo(user.record);
    PutUser(ctx, a.scope.pool, user, &previous);
    state.totp_verified = false;
    state.totp_secret.clear();
    state.available.clear();
    state.mfa_done = true;
    return ContinueSignIn(ctx, a.scope, user, std::move(state));
  }
  if (const std::string email = Param(a.responses, "EMAIL"); !email.empty()) {
    if (!Allowed(state.available, kEmailMfa)) {
      throw errors::InvalidParameter("Email MFA is not enabled for this user pool.");
    }
    const size_t at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == email.size()) {
      throw errors::InvalidParameter("Invalid email address format.");
    }
    ConsumeSession(ctx, live);
    state.setup_email = email;
    return FactorChallenge(ctx, a.scope, user, std::move(state), kEmailMfa);
  }
  // Unconfirmed wording: MFA_SETUP answered before any factor was set up.
  throw errors::InvalidParameter(
      "MFA_SETUP needs the Session of a successful VerifySoftwareToken, or an EMAIL to set up.");
}

json AnswerSelectChallenge(api::Context& ctx, const Answer& a) {
  LiveSession live = AnswerSession(ctx, a);
  FlowState state = FlowState::FromJson(live.session.state);
  CheckAnswerer(ctx, a, live, state);
  const std::string answer = RequireParam(a.responses, "ANSWER");
  if (!Allowed(state.available, answer)) {
    throw errors::InvalidParameter("Invalid ANSWER: " + answer + " is not one of the AvailableChallenges.");
  }
  std::optional<UserRef> user = live.user;
  if (user) CheckNotLocked(user->record, ctx.clock.NowSeconds());
  ConsumeSession(ctx, live);
  state.available.clear();
  if (answer == "PASSWORD" && !user) {
    RequireParam(a.responses, "PASSWORD");
    ctx.CommitAndThrow(kIncorrect);
  }
  return ChosenFirstFactor(ctx, a.scope, user, std::move(state), answer, a.responses);
}

json Respond(api::Context& ctx, const json& in, bool admin) {
  const SignInScope scope = Scope(ctx, in, admin);
  const Answer a{scope, in, ObjectMember(in, "ChallengeResponses"), in["ChallengeName"]};
  const std::string& name = a.name;
  if (name == "PASSWORD_VERIFIER") return AnswerPasswordVerifier(ctx, a);
  if (name == "DEVICE_SRP_AUTH") return AnswerDeviceSrp(ctx, a);
  if (name == "DEVICE_PASSWORD_VERIFIER") return AnswerDevicePasswordVerifier(ctx, a);
  if (name == "NEW_PASSWORD_REQUIRED") return AnswerNewPassword(ctx, a);
  if (name == kSmsMfa || name == kTotpMfa || name == kEmailMfa || name == "SMS_OTP") {
    return AnswerCodeChallenge(ctx, a);
  }
  if (name == "SELECT_MFA_TYPE") return AnswerSelectMfaType(ctx, a);
  if (name == "MFA_SETUP") return AnswerMfaSetup(ctx, a);
  if (name == "SELECT_CHALLENGE") return AnswerSelectChallenge(ctx, a);
  if (name == "CUSTOM_CHALLENGE" || name == "WEB_AUTHN") {
    throw ApiError("NotImplementedException",
                   "cognito-emulator does not implement the " + name + " challenge yet.", 501);
  }
  // PASSWORD, PASSWORD_SRP and ADMIN_NO_SRP_AUTH are never issued as challenges.
  throw errors::InvalidParameter("Invalid challenge name: " + name);
}

}  // namespace

// Refresh as Amplify 6.15+ does it: new ID and access tokens, and with the client's
// RefreshTokenRotation a new refresh token too (idp/tokens.h RotateRefreshToken).
json GetTokensFromRefreshToken(api::Context& ctx, const json& in) {
  auto [client, pool] = RequireClientAndPool(ctx, in["ClientId"]);
  const bool rotates = RotatesRefreshTokens(client);
  // Judgement call: without rotation this is REFRESH_TOKEN_AUTH by another name and needs that
  // flow; with rotation it is the only way to refresh, whatever the flows say.
  if (!rotates && !UsesLegacyFlowsOnly(client) && !HasFlow(client, {"ALLOW_REFRESH_TOKEN_AUTH"})) {
    FlowNotEnabled("REFRESH_TOKEN_AUTH");
  }
  const std::string client_id = client["ClientId"];
  if (auto secret = client.find("ClientSecret"); secret != client.end() && secret->is_string()) {
    // Unconfirmed wording: the texts the other operations use for SECRET_HASH.
    const std::string given = Str(in, "ClientSecret");
    if (given.empty()) {
      throw errors::NotAuthorized("Client " + client_id + " is configured with secret but SECRET_HASH was not received");
    }
    if (!crypto::ConstantTimeEquals(secret->get<std::string>(), given)) {
      throw errors::NotAuthorized("Unable to verify secret hash for client " + client_id);
    }
  }
  const std::string token = in["RefreshToken"];
  RefreshGrant grant = RedeemRefreshToken(ctx, pool, client, token, Str(in, "DeviceKey"));
  json result = IssueTokens(ctx, pool, client, grant.user, grant.facts, false);
  if (rotates) result["RefreshToken"] = RotateRefreshToken(ctx, pool, client, grant, token);
  return {{"AuthenticationResult", result}};
}

json InitiateAuth(api::Context& ctx, const json& in) { return Initiate(ctx, in, false); }
json AdminInitiateAuth(api::Context& ctx, const json& in) { return Initiate(ctx, in, true); }
json RespondToAuthChallenge(api::Context& ctx, const json& in) { return Respond(ctx, in, false); }
json AdminRespondToAuthChallenge(api::Context& ctx, const json& in) { return Respond(ctx, in, true); }

}  // namespace cogemu::idp
