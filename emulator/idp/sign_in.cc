#include "emulator/idp/sign_in.h"

#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/password.h"
#include "emulator/crypto/srp.h"
#include "emulator/idp/common.h"
#include "emulator/idp/devices.h"
#include "emulator/idp/mfa.h"
#include "emulator/idp/outbox.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

constexpr int kFreeFailures = 5;
constexpr int64_t kMaxLockSeconds = 15 * 60;
constexpr int64_t kFailureMemorySeconds = 15 * 60;

// SMS MFA codes have 6 digits; e-mail MFA and passwordless codes 8 (judgement call: AWS documents
// 8 digits for the passwordless codes, and e-mail MFA shares their template).
constexpr size_t kSmsCodeDigits = 6;
constexpr size_t kEmailCodeDigits = 8;

json Strings(const std::vector<std::string>& list) {
  json out = json::array();
  for (const auto& s : list) out.push_back(s);
  return out;
}

std::vector<std::string> StringList(const json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Attr(const json& record, const char* name) {
  const json& attrs = record["Attributes"];
  auto it = attrs.find(name);
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json Challenge(api::Context& ctx, const SignInScope& scope, const UserRef& user, const std::string& name,
               json parameters, const FlowState& state) {
  OpenedSession opened = OpenSession(ctx, scope.pool, scope.client, &user, name, state.ToJson());
  return {{"ChallengeName", name}, {"Session", opened.session}, {"ChallengeParameters", std::move(parameters)}};
}

json NewPasswordChallenge(api::Context& ctx, const SignInScope& scope, const UserRef& user, const FlowState& state) {
  json visible = user.record["Attributes"];
  visible.erase("sub");
  json required = json::array();
  for (const auto& a : scope.pool["SchemaAttributes"]) {
    const std::string name = a["Name"];
    if (name != "sub" && a.value("Required", false) && !user.record["Attributes"].contains(name)) {
      required.push_back("userAttributes." + name);
    }
  }
  return Challenge(ctx, scope, user, "NEW_PASSWORD_REQUIRED",
                   {{"USER_ID_FOR_SRP", user.record["Username"]},
                    {"requiredAttributes", required.dump()},
                    {"userAttributes", visible.dump()}},
                   state);
}

bool MfaPending(const PoolMfa& pool_mfa, const json& record, const FlowState& state) {
  if (state.mfa_done || state.first_factor == "EMAIL_OTP" || state.first_factor == "SMS_OTP") return false;
  if (pool_mfa.level == "ON") return true;
  if (pool_mfa.level == "OPTIONAL") return !UsableFactors(record).empty();
  return false;
}

// "{####}" in `text` replaced by `code` (every occurrence).
std::string Render(std::string text, const std::string& code) {
  for (size_t at = text.find("{####}"); at != std::string::npos; at = text.find("{####}", at + code.size())) {
    text.replace(at, 6, code);
  }
  return text;
}

// A stable secret of the pool for simulated sign-ins (older pool records have none: derived).
std::string PoolSecret(const json& pool_record) {
  if (auto it = pool_record.find("secret"); it != pool_record.end() && it->is_string()) {
    return it->get<std::string>();
  }
  return crypto::Sha256("simulated sign-in|" + pool_record["pool"].value("Id", "") + "|" +
                        pool_record["pool"].value("CreationDate", json(0)).dump());
}

// `n` pseudo-random bytes that depend only on the pool's secret, `purpose` and `name`.
std::string Derived(const json& pool_record, const std::string& purpose, const std::string& name, size_t n) {
  const std::string secret = PoolSecret(pool_record);
  std::string out;
  for (int block = 0; out.size() < n; ++block) {
    out += crypto::HmacSha256(secret, purpose + "|" + std::to_string(block) + "|" + name);
  }
  out.resize(n);
  return out;
}

}  // namespace

json FlowState::ToJson() const {
  json j = {{"Username", username}, {"FirstFactor", first_factor}};
  if (!typed.empty()) j["Typed"] = typed;
  if (!device_key.empty()) j["DeviceKey"] = device_key;
  if (new_password_done) j["NewPasswordDone"] = true;
  if (mfa_done) j["MfaDone"] = true;
  if (device_done) j["DeviceDone"] = true;
  if (fake) j["Fake"] = true;
  if (!srp_key.empty()) j["SrpKey"] = srp_key;
  if (!code.empty()) j["Code"] = code;
  if (!setup_email.empty()) j["SetupEmail"] = setup_email;
  if (!totp_secret.empty()) j["TotpSecret"] = totp_secret;
  if (totp_verified) j["TotpVerified"] = true;
  if (!available.empty()) j["Available"] = Strings(available);
  return j;
}

FlowState FlowState::FromJson(const json& j) {
  FlowState s;
  if (!j.is_object()) return s;
  s.username = j.value("Username", "");
  s.typed = j.value("Typed", "");
  s.device_key = j.value("DeviceKey", "");
  s.first_factor = j.value("FirstFactor", "");
  s.new_password_done = j.value("NewPasswordDone", false);
  s.mfa_done = j.value("MfaDone", false);
  s.device_done = j.value("DeviceDone", false);
  s.fake = j.value("Fake", false);
  s.srp_key = j.value("SrpKey", "");
  s.code = j.value("Code", "");
  s.setup_email = j.value("SetupEmail", "");
  s.totp_secret = j.value("TotpSecret", "");
  s.totp_verified = j.value("TotpVerified", false);
  s.available = StringList(j.value("Available", json::array()));
  return s;
}

void CheckNotLocked(const json& user_record, int64_t now) {
  const json lock = user_record.value("Lockout", json::object());
  if (lock.value("locked_until", int64_t{0}) > now) throw errors::NotAuthorized("Password attempts exceeded");
}

void CountFailureAndThrow(api::Context& ctx, const json& pool, UserRef& user, const ApiError& error) {
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
  ctx.CommitAndThrow(error);
}

void ClearFailures(api::Context& ctx, const json& pool, UserRef& user) {
  if (!user.record.contains("Lockout")) return;
  const json previous = user.record;
  user.record.erase("Lockout");
  PutUser(ctx, pool, user, &previous);
}

// Issues the challenge for `factor` (SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA as a second
// factor; EMAIL_OTP or SMS_OTP as the first), sending a fresh code where it needs one.
json FactorChallenge(api::Context& ctx, const SignInScope& scope, UserRef& user, FlowState state,
                     const std::string& factor) {
  const PoolMfa pool_mfa = PoolMfa::Of(scope.pool_record);
  const bool second = !state.first_factor.empty();
  json parameters = json::object();
  state.code.clear();
  if (factor == kSmsMfa || factor == "SMS_OTP") {
    const std::string phone = Attr(user.record, "phone_number");
    state.code = ctx.random.FromAlphabet(alphabet::kDigits, factor == kSmsMfa ? kSmsCodeDigits : kEmailCodeDigits);
    const Delivery delivery = DeliveryTo("phone_number", phone);
    std::string text = pool_mfa.sms_message.empty() ? "Your authentication code is {####}. " : pool_mfa.sms_message;
    SendMessage(ctx, OutboundMessage{scope.pool["Id"], user.record["Username"], phone, "SMS", second ? "MFA" : "OTP",
                                     state.code, std::nullopt, std::nullopt, Render(text, state.code)});
    parameters = {{"CODE_DELIVERY_DELIVERY_MEDIUM", "SMS"}, {"CODE_DELIVERY_DESTINATION", delivery.details["Destination"]}};
  } else if (factor == kEmailMfa) {
    // MFA_SETUP for e-mail sends the first code to the address being set up.
    const std::string email = state.setup_email.empty() ? Attr(user.record, "email") : state.setup_email;
    state.code = ctx.random.FromAlphabet(alphabet::kDigits, kEmailCodeDigits);
    const Delivery delivery = DeliveryTo("email", email);
    std::string text = pool_mfa.email_message.empty() ? "Your verification code is {####}." : pool_mfa.email_message;
    SendMessage(ctx, OutboundMessage{scope.pool["Id"], user.record["Username"], email, "EMAIL", second ? "MFA" : "OTP",
                                     state.code, std::nullopt,
                                     pool_mfa.email_subject.empty() ? "Your verification code" : pool_mfa.email_subject,
                                     Render(text, state.code)});
    parameters = {{"CODE_DELIVERY_DELIVERY_MEDIUM", "EMAIL"},
                  {"CODE_DELIVERY_DESTINATION", delivery.details["Destination"]}};
  }
  return Challenge(ctx, scope, user, factor, std::move(parameters), state);
}

namespace {

// The MFA step: the one factor to answer, a choice between several, or setting one up.
json MfaChallenge(api::Context& ctx, const SignInScope& scope, UserRef& user, FlowState state,
                  const PoolMfa& pool_mfa) {
  const std::vector<std::string> factors = UsableFactors(user.record);
  if (factors.empty()) {
    // MFA is required (ON) and the user has chosen no factor. Judgement call: AWS challenges a
    // user with a phone number by SMS when the pool sends SMS (its long-standing behaviour), then
    // by e-mail when the pool offers e-mail MFA and the user has an address, then with a verified
    // software token; only a user with none of these must set one up.
    const UserMfa mfa = UserMfa::Of(user.record);
    if (pool_mfa.sms && !Attr(user.record, "phone_number").empty()) {
      return FactorChallenge(ctx, scope, user, state, kSmsMfa);
    }
    if (pool_mfa.email && !Attr(user.record, "email").empty()) {
      return FactorChallenge(ctx, scope, user, state, kEmailMfa);
    }
    if (mfa.totp_secret) return FactorChallenge(ctx, scope, user, state, kTotpMfa);
    state.available = pool_mfa.Offered();
    return Challenge(ctx, scope, user, "MFA_SETUP", {{"MFAS_CAN_SETUP", Strings(state.available).dump()}}, state);
  }
  const UserMfa mfa = UserMfa::Of(user.record);
  if (!mfa.preferred.empty() && Contains(factors, mfa.preferred)) {
    return FactorChallenge(ctx, scope, user, state, mfa.preferred);
  }
  if (factors.size() == 1) return FactorChallenge(ctx, scope, user, state, factors.front());
  state.available = factors;
  return Challenge(ctx, scope, user, "SELECT_MFA_TYPE", {{"MFAS_CAN_CHOOSE", Strings(factors).dump()}}, state);
}

// Tokens: the end of every sign-in. A pool that tracks devices gets a new device for a sign-in
// that did not authenticate one.
json Complete(api::Context& ctx, const SignInScope& scope, UserRef& user, const FlowState& state) {
  const json previous = user.record;
  SessionFacts facts;
  json new_device;
  if (state.device_done) {
    facts.device_key = state.device_key;
    if (auto device = FindDevice(ctx.txn, scope.pool["Id"], user, state.device_key)) {
      device->last_authenticated = ctx.now();
      PutDevice(ctx, scope.pool["Id"], user, *device);
    }
  } else if (TracksDevices(scope.pool)) {
    new_device = NewDevice(ctx, scope.pool, user, &facts.device_key);
  }
  user.record.erase("Lockout");
  if (user.record != previous) PutUser(ctx, scope.pool, user, &previous);
  json result = IssueTokens(ctx, scope.pool, scope.client, user, facts, true);
  if (!new_device.is_null()) result["NewDeviceMetadata"] = new_device;
  return {{"ChallengeParameters", json::object()}, {"AuthenticationResult", std::move(result)}};
}

}  // namespace

SrpServerHalf SrpServerSide(api::Context& ctx, const std::string& srp_a_hex, const std::string& verifier) {
  const std::optional<std::string> A = crypto::srp::FromHex(srp_a_hex);
  if (!A || !crypto::srp::ValidA(*A)) throw errors::InvalidParameter("SRP_A is not a valid value.");
  const std::string b = ctx.random.Bytes(32);
  const std::string half = ctx.Slow("srp-server", {*A, verifier, b}, [A = *A, verifier, b] {
    const std::optional<std::string> B = crypto::srp::ServerB(verifier, crypto::srp::GPow(b));
    if (!B) return std::string();  // probability ~2^-3072
    return json{{"B", crypto::srp::ToHex(*B)},
                {"K", crypto::HexEncode(crypto::srp::ServerKey(A, *B, b, verifier).value_or(""))}}
        .dump();
  });
  if (half.empty()) throw errors::Internal("SRP: B = 0; try again.");
  const json parsed = json::parse(half);
  return SrpServerHalf{parsed["B"], parsed["K"]};
}

json StartSrp(api::Context& ctx, const SignInScope& scope, const UserRef* user, FlowState state,
              const std::string& srp_a_hex) {
  std::string salt;
  std::string verifier;
  std::string user_id;
  const json srp = user ? user->record.value("Srp", json::object()) : json::object();
  if (user && srp.contains("verifier")) {
    salt = crypto::srp::FromHex(srp.value("salt", "0")).value_or("");
    verifier = crypto::srp::FromHex(srp.value("verifier", "0")).value_or("");
    user_id = user->record["Username"];
  } else {
    // A user who does not exist (or has no password): a challenge that looks like any other,
    // stable for the name, that no proof can answer.
    state.fake = true;
    salt = Derived(scope.pool_record, "salt", state.typed, 16);
    verifier = Derived(scope.pool_record, "verifier", state.typed, crypto::srp::kModulusBytes);
    if (user) {
      user_id = user->record["Username"];
    } else if (PoolUsesUsernameAttributes(scope.pool)) {
      std::string id = crypto::HexEncode(Derived(scope.pool_record, "sub", state.typed, 16));
      id[12] = '4';
      id = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" + id.substr(16, 4) + "-" + id.substr(20);
      user_id = id;
    } else {
      user_id = state.typed;
    }
  }
  const SrpServerHalf half = SrpServerSide(ctx, srp_a_hex, verifier);
  state.username = user_id;
  state.srp_key = half.key_hex;
  OpenedSession opened = OpenSession(ctx, scope.pool, scope.client, state.fake ? nullptr : user,
                                     "PASSWORD_VERIFIER", state.ToJson());
  return {{"ChallengeName", "PASSWORD_VERIFIER"},
          {"Session", opened.session},
          {"ChallengeParameters",
           {{"SALT", crypto::srp::ToHex(salt)},
            {"SRP_B", half.b_hex},
            {"SECRET_BLOCK", opened.secret_block},
            {"USER_ID_FOR_SRP", user_id},
            {"USERNAME", user_id}}}};
}

bool PasswordMatches(api::Context& ctx, const json& user_record, const std::string& password) {
  auto stored = user_record.contains("Password") ? crypto::PasswordHash::FromJson(user_record["Password"])
                                                 : std::nullopt;
  if (!stored) return false;
  const std::string verdict =
      ctx.Slow("pbkdf2-verify", {stored->salt_b64, stored->hash_b64, std::to_string(stored->iterations), password},
               [password, hash = *stored] { return std::string(crypto::VerifyPassword(password, hash) ? "1" : "0"); });
  return verdict == "1";
}

bool SrpProofMatches(const FlowState& state, const std::string& pool_name, const std::string& user_id,
                     const std::string& secret_block, const std::string& timestamp, const std::string& signature_b64) {
  const std::optional<std::string> key = crypto::srp::FromHex(state.srp_key);
  const std::optional<std::string> given = crypto::Base64Decode(signature_b64);
  if (state.srp_key.empty() || !key || !given) return false;
  // FromHex drops leading zero bytes; K is always 16 bytes.
  const std::string k = std::string(crypto::srp::kKeyBytes - std::min(key->size(), crypto::srp::kKeyBytes), '\0') + *key;
  const std::string expected = crypto::srp::Signature(k, pool_name, user_id, secret_block, timestamp);
  return crypto::ConstantTimeEquals(expected, *given);
}

json ContinueSignIn(api::Context& ctx, const SignInScope& scope, UserRef& user, FlowState state,
                    const AnsweredSession* answered) {
  const int64_t now = ctx.clock.NowSeconds();
  if (user.record.value("UserStatus", "") == "FORCE_CHANGE_PASSWORD" && !state.new_password_done) {
    if (user.record.value("TemporaryPasswordExpires", int64_t{0}) <= now) {
      throw errors::NotAuthorized("Temporary password has expired and must be reset by an administrator.");
    }
    return NewPasswordChallenge(ctx, scope, user, state);
  }
  const PoolMfa pool_mfa = PoolMfa::Of(scope.pool_record);
  const std::string pool_id = scope.pool["Id"];
  std::optional<Device> device;
  if (!state.device_key.empty() && !state.device_done) {
    device = FindConfirmedDevice(ctx.txn, pool_id, user, state.device_key);
  }
  const bool mfa_pending = MfaPending(pool_mfa, user.record, state);
  // A remembered device proves itself first when it stands in for MFA, and last otherwise.
  const bool device_first = device && device->remembered && RememberedDevicesSkipMfa(scope.pool);
  if (device && (!mfa_pending || device_first)) {
    if (answered) {
      // The answered session carries on: amazon-cognito-identity-js sends it again with its
      // DEVICE_SRP_AUTH answer after an MFA code (it does not read the new one).
      OpenedSession same = ContinueSession(ctx, answered->live, answered->text, "DEVICE_SRP_AUTH", state.ToJson());
      return {{"ChallengeName", "DEVICE_SRP_AUTH"}, {"Session", same.session}, {"ChallengeParameters", json::object()}};
    }
    return Challenge(ctx, scope, user, "DEVICE_SRP_AUTH", json::object(), state);
  }
  if (mfa_pending) return MfaChallenge(ctx, scope, user, state, pool_mfa);
  return Complete(ctx, scope, user, state);
}

}  // namespace cogemu::idp
