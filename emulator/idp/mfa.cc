#include "emulator/idp/mfa.h"

#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/totp.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/sign_in.h"
#include "emulator/idp/tokens.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {
namespace {

using api::Bool;
using api::Find;
using api::Str;

// Secret codes: 32 random bytes, 52 base32 characters (the length AWS's have).
constexpr size_t kTotpSecretBytes = 32;
constexpr const char* kFactorOrder[] = {kSmsMfa, kTotpMfa, kEmailMfa};

std::string Attr(const json& record, const char* name) {
  const json& attrs = record["Attributes"];
  auto it = attrs.find(name);
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const ApiError kTotpNotEnabled("SoftwareTokenMFANotFoundException",
                               "Software Token MFA has not been enabled by the userPool.");
const ApiError kTotpMismatch("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA");

// Exactly one of AccessToken and Session.
void CheckTokenOrSession(const json& in) {
  if (api::Has(in, "AccessToken") == api::Has(in, "Session")) {
    // Unconfirmed wording: AWS documents "an access token or a session string, but not both".
    throw errors::InvalidParameter("Provide either AccessToken or Session, not both.");
  }
}

// The pool's record and the user behind an access token, for the access-token calls.
struct Caller {
  AccessGrant grant;
  json pool_record;
};
Caller RequireCaller(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  json record = PoolRecord(ctx, grant.pool["Id"]);
  return Caller{std::move(grant), std::move(record)};
}

std::string NewTotpSecret(api::Context& ctx) { return crypto::Base32Encode(ctx.random.Bytes(kTotpSecretBytes)); }

// The 30-second step `code` matches for `secret` (one step either way), if any.
std::optional<int64_t> MatchCode(const std::string& secret, const std::string& code, int64_t now) {
  const std::optional<std::string> key = crypto::Base32Decode(secret);
  if (!key) return std::nullopt;
  return crypto::MatchTotp(*key, code, now, 1);
}

// (Admin)SetUserMFAPreference on `record` (the caller writes it).
void ApplyPreference(const json& pool_record, json& record, const json& in) {
  const PoolMfa pool_mfa = PoolMfa::Of(pool_record);
  UserMfa mfa = UserMfa::Of(record);
  struct Member {
    const char* name;
    const char* factor;
  };
  int preferred = 0;
  for (const Member& m : {Member{"SMSMfaSettings", kSmsMfa}, Member{"SoftwareTokenMfaSettings", kTotpMfa},
                          Member{"EmailMfaSettings", kEmailMfa}}) {
    const json* settings = Find(in, m.name);
    if (!settings) continue;
    const json* enabled = Find(*settings, "Enabled");
    const json* prefer = Find(*settings, "PreferredMfa");
    const bool on = (enabled && enabled->get<bool>()) || (prefer && prefer->get<bool>());
    const std::string factor = m.factor;
    if (on) {
      const bool deliverable = factor == kSmsMfa    ? !Attr(record, "phone_number").empty()
                               : factor == kEmailMfa ? !Attr(record, "email").empty()
                                                     : mfa.totp_secret.has_value();
      if (!deliverable) {
        throw errors::InvalidParameter("User does not have delivery config set to turn on " + factor);
      }
      mfa.Enable(factor);
    } else if (enabled && !enabled->get<bool>() && mfa.Enabled(factor)) {
      // "You can't turn off ... MFA for any of your users when MFA is required in your user pool;
      // you can only set the type that your user prefers." Judgement call: refused when it would
      // leave the user without a factor (the wording is not AWS's).
      if (pool_mfa.level == "ON" && mfa.enabled.size() == 1) {
        throw errors::InvalidParameter("MFA is required in this user pool: the user's only MFA factor, " + factor +
                                       ", cannot be turned off.");
      }
      mfa.Disable(factor);
    }
    if (prefer && prefer->get<bool>()) {
      ++preferred;
      mfa.preferred = factor;
    } else if (prefer && mfa.preferred == factor) {
      mfa.preferred.clear();
    }
  }
  if (const json* webauthn = Find(in, "WebAuthnMfaSettings"); webauthn && Bool(*webauthn, "Enabled", false)) {
    throw errors::InvalidParameter("User does not have delivery config set to turn on WEB_AUTHN");
  }
  if (preferred > 1) throw errors::InvalidParameter("Only one MFA type can be preferred.");
  mfa.WriteTo(record);
}

// (Admin)SetUserSettings: the legacy MFAOptions, which cover SMS only.
void ApplySettings(json& record, const json& in) {
  UserMfa mfa = UserMfa::Of(record);
  bool sms = false;
  for (const json& option : in.value("MFAOptions", json::array())) {
    if (option.is_object() && option.value("DeliveryMedium", "") == "SMS") sms = true;
  }
  if (sms) {
    if (Attr(record, "phone_number").empty()) {
      throw errors::InvalidParameter("User does not have delivery config set to turn on SMS_MFA");
    }
    mfa.Enable(kSmsMfa);
  } else {
    mfa.Disable(kSmsMfa);
  }
  mfa.WriteTo(record);
}

// ConfiguredUserAuthFactors, in the model's order: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN,
// SOFTWARE_TOKEN. A code factor counts when the pool allows it first and the user has the
// verified address, or when the user has it as MFA.
json ConfiguredFactors(const json& pool, const json& record) {
  const json allowed = pool.value("Policies", json::object())
                           .value("SignInPolicy", json::object())
                           .value("AllowedFirstAuthFactors", json::array({"PASSWORD"}));
  auto allows = [&](const char* f) { return std::find(allowed.begin(), allowed.end(), f) != allowed.end(); };
  auto verified = [&](const char* name) {
    return !Attr(record, name).empty() && Attr(record, (std::string(name) + "_verified").c_str()) == "true";
  };
  const UserMfa mfa = UserMfa::Of(record);
  json out = json::array();
  if (record.contains("Password")) out.push_back("PASSWORD");
  if ((allows("EMAIL_OTP") && verified("email")) || mfa.Enabled(kEmailMfa)) out.push_back("EMAIL_OTP");
  if ((allows("SMS_OTP") && verified("phone_number")) || mfa.Enabled(kSmsMfa)) out.push_back("SMS_OTP");
  if (mfa.totp_secret) out.push_back("SOFTWARE_TOKEN");
  return out;
}

json AuthFactors(const json& pool, const json& record) {
  json out = {{"Username", record["Username"]}, {"ConfiguredUserAuthFactors", ConfiguredFactors(pool, record)}};
  AddMfaSettings(record, out);
  return out;
}

}  // namespace

PoolMfa PoolMfa::Of(const json& pool_record) {
  PoolMfa p;
  const json& pool = pool_record["pool"];
  const json mfa = pool_record.value("mfa", json::object());
  p.level = pool.value("MfaConfiguration", "OFF");
  const json sms = mfa.value("SmsMfaConfiguration", json::object());
  p.sms = mfa.contains("SmsMfaConfiguration") || pool.contains("SmsConfiguration");
  p.totp = mfa.value("SoftwareTokenMfaConfiguration", json::object()).value("Enabled", false);
  p.email = mfa.contains("EmailMfaConfiguration");
  p.sms_message = sms.value("SmsAuthenticationMessage", pool.value("SmsAuthenticationMessage", ""));
  const json email = mfa.value("EmailMfaConfiguration", json::object());
  p.email_message = email.value("Message", "");
  p.email_subject = email.value("Subject", "");
  return p;
}

std::vector<std::string> PoolMfa::Offered() const {
  std::vector<std::string> out;
  if (sms) out.push_back(kSmsMfa);
  if (totp) out.push_back(kTotpMfa);
  if (email) out.push_back(kEmailMfa);
  return out;
}

json PoolRecord(const api::Context& ctx, const std::string& pool_id) { return RequirePool(ctx, pool_id); }

UserMfa UserMfa::Of(const json& user_record) {
  UserMfa m;
  auto it = user_record.find("Mfa");
  if (it == user_record.end() || !it->is_object()) return m;
  const json& j = *it;
  for (const auto& f : j.value("Enabled", json::array())) {
    if (f.is_string()) m.enabled.push_back(f.get<std::string>());
  }
  m.preferred = j.value("Preferred", "");
  if (auto totp = j.find("Totp"); totp != j.end() && totp->is_object() && totp->contains("Secret")) {
    m.totp_secret = totp->value("Secret", "");
    m.totp_name = totp->value("Name", "");
    m.totp_last_step = totp->value("LastStep", int64_t{-1});
  }
  if (auto pending = j.find("PendingTotp"); pending != j.end() && pending->is_object()) {
    m.pending_totp_secret = pending->value("Secret", "");
  }
  return m;
}

void UserMfa::WriteTo(json& user_record) const {
  json j = json::object();
  if (!enabled.empty()) {
    json list = json::array();
    for (const char* f : kFactorOrder) {
      if (Enabled(f)) list.push_back(f);
    }
    j["Enabled"] = list;
  }
  if (!preferred.empty()) j["Preferred"] = preferred;
  if (totp_secret) j["Totp"] = {{"Secret", *totp_secret}, {"Name", totp_name}, {"LastStep", totp_last_step}};
  if (pending_totp_secret) j["PendingTotp"] = {{"Secret", *pending_totp_secret}};
  if (j.empty()) {
    user_record.erase("Mfa");
  } else {
    user_record["Mfa"] = j;
  }
}

bool UserMfa::Enabled(const std::string& factor) const {
  return std::find(enabled.begin(), enabled.end(), factor) != enabled.end();
}

void UserMfa::Enable(const std::string& factor) {
  if (!Enabled(factor)) enabled.push_back(factor);
}

void UserMfa::Disable(const std::string& factor) {
  enabled.erase(std::remove(enabled.begin(), enabled.end(), factor), enabled.end());
  if (preferred == factor) preferred.clear();
}

std::vector<std::string> UsableFactors(const json& user_record) {
  const UserMfa mfa = UserMfa::Of(user_record);
  std::vector<std::string> out;
  for (const char* f : kFactorOrder) {
    if (!mfa.Enabled(f)) continue;
    const std::string factor = f;
    if (factor == kSmsMfa && Attr(user_record, "phone_number").empty()) continue;
    if (factor == kEmailMfa && Attr(user_record, "email").empty()) continue;
    if (factor == kTotpMfa && !mfa.totp_secret) continue;
    out.push_back(factor);
  }
  return out;
}

void AddMfaSettings(const json& user_record, json& out) {
  const UserMfa mfa = UserMfa::Of(user_record);
  json list = json::array();
  for (const char* f : kFactorOrder) {
    if (mfa.Enabled(f)) list.push_back(f);
  }
  if (!list.empty()) out["UserMFASettingList"] = list;
  if (!mfa.preferred.empty()) out["PreferredMfaSetting"] = mfa.preferred;
  // The legacy MFAOptions ("no longer supported") describe SMS MFA only.
  if (mfa.Enabled(kSmsMfa)) {
    out["MFAOptions"] = json::array({{{"DeliveryMedium", "SMS"}, {"AttributeName", "phone_number"}}});
  }
}

bool AcceptTotpCode(json& user_record, const std::string& code, int64_t now) {
  UserMfa mfa = UserMfa::Of(user_record);
  if (!mfa.totp_secret) return false;
  const std::optional<int64_t> step = MatchCode(*mfa.totp_secret, code, now);
  // A code is good once: not again, and not an older step after a newer one was used.
  if (!step || *step <= mfa.totp_last_step) return false;
  mfa.totp_last_step = *step;
  mfa.WriteTo(user_record);
  return true;
}

json AssociateSoftwareToken(api::Context& ctx, const json& in) {
  CheckTokenOrSession(in);
  if (api::Has(in, "AccessToken")) {
    Caller caller = RequireCaller(ctx, in);
    if (!PoolMfa::Of(caller.pool_record).totp) throw kTotpNotEnabled;
    UserRef user = caller.grant.user;
    const json previous = user.record;
    UserMfa mfa = UserMfa::Of(user.record);
    mfa.pending_totp_secret = NewTotpSecret(ctx);
    mfa.WriteTo(user.record);
    PutUser(ctx, caller.grant.pool, user, &previous);
    return {{"SecretCode", *mfa.pending_totp_secret}};
  }
  // During sign-in (MFA_SETUP): the secret travels in the next session.
  LiveSession live = RequireSession(ctx, Str(in, "Session"), SessionName::kSession, "MFA_SETUP");
  if (!live.user) throw errors::NotAuthorized("Invalid session for the user.");
  if (!PoolMfa::Of(PoolRecord(ctx, live.pool()["Id"])).totp) throw kTotpNotEnabled;
  FlowState state = FlowState::FromJson(live.session.state);
  state.totp_secret = NewTotpSecret(ctx);
  state.totp_verified = false;
  ConsumeSession(ctx, live);
  OpenedSession next = OpenSession(ctx, live.pool(), live.client(), &*live.user, "MFA_SETUP", state.ToJson());
  return {{"SecretCode", state.totp_secret}, {"Session", next.session}};
}

// A wrong code answers EnableSoftwareTokenMFAException and changes nothing: the user may try
// again. Codes are not limited here (the caller already holds the secret; there is nothing to
// guess).
json VerifySoftwareToken(api::Context& ctx, const json& in) {
  CheckTokenOrSession(in);
  const std::string code = Str(in, "UserCode");
  const int64_t now = ctx.clock.NowSeconds();
  const std::string name = Str(in, "FriendlyDeviceName");
  if (api::Has(in, "AccessToken")) {
    Caller caller = RequireCaller(ctx, in);
    UserRef user = caller.grant.user;
    UserMfa mfa = UserMfa::Of(user.record);
    if (!mfa.pending_totp_secret) {
      throw ApiError("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user.");
    }
    const std::optional<int64_t> step = MatchCode(*mfa.pending_totp_secret, code, now);
    if (!step) throw kTotpMismatch;
    const json previous = user.record;
    mfa.totp_secret = *mfa.pending_totp_secret;
    mfa.pending_totp_secret.reset();
    mfa.totp_name = name;
    mfa.totp_last_step = *step;
    // In a pool that requires MFA a verified token is the user's factor at once; elsewhere the
    // user turns it on with SetUserMFAPreference.
    if (PoolMfa::Of(caller.pool_record).level == "ON") {
      mfa.Enable(kTotpMfa);
      if (mfa.preferred.empty()) mfa.preferred = kTotpMfa;
    }
    mfa.WriteTo(user.record);
    PutUser(ctx, caller.grant.pool, user, &previous);
    return {{"Status", "SUCCESS"}};
  }
  LiveSession live = RequireSession(ctx, Str(in, "Session"), SessionName::kSession, "MFA_SETUP");
  FlowState state = FlowState::FromJson(live.session.state);
  if (!live.user || state.totp_secret.empty()) {
    throw ApiError("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user.");
  }
  const std::optional<int64_t> step = MatchCode(state.totp_secret, code, now);
  if (!step) throw kTotpMismatch;
  UserRef user = *live.user;
  const json previous = user.record;
  UserMfa mfa = UserMfa::Of(user.record);
  mfa.totp_secret = state.totp_secret;
  mfa.totp_name = name;
  mfa.totp_last_step = *step;
  mfa.WriteTo(user.record);
  PutUser(ctx, live.pool(), user, &previous);
  ConsumeSession(ctx, live);
  state.totp_verified = true;
  OpenedSession next = OpenSession(ctx, live.pool(), live.client(), &user, "MFA_SETUP", state.ToJson());
  return {{"Status", "SUCCESS"}, {"Session", next.session}};
}

json SetUserMFAPreference(api::Context& ctx, const json& in) {
  Caller caller = RequireCaller(ctx, in);
  UserRef user = caller.grant.user;
  const json previous = user.record;
  ApplyPreference(caller.pool_record, user.record, in);
  PutUser(ctx, caller.grant.pool, user, &previous);
  return json::object();
}

json AdminSetUserMFAPreference(api::Context& ctx, const json& in) {
  const json record = RequirePool(ctx, Str(in, "UserPoolId"));
  UserRef user = RequireUserByAny(ctx, record["pool"], Str(in, "Username"));
  const json previous = user.record;
  ApplyPreference(record, user.record, in);
  PutUser(ctx, record["pool"], user, &previous);
  return json::object();
}

json SetUserSettings(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  const json previous = grant.user.record;
  ApplySettings(grant.user.record, in);
  PutUser(ctx, grant.pool, grant.user, &previous);
  return json::object();
}

json AdminSetUserSettings(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, Str(in, "UserPoolId"));
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  const json previous = user.record;
  ApplySettings(user.record, in);
  PutUser(ctx, pool, user, &previous);
  return json::object();
}

json GetUserAuthFactors(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  return AuthFactors(grant.pool, grant.user.record);
}

json AdminGetUserAuthFactors(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, Str(in, "UserPoolId"));
  const json& pool = shared_pool.pool();
  return AuthFactors(pool, RequireUserByAny(ctx, pool, Str(in, "Username")).record);
}

}  // namespace cogemu::idp
