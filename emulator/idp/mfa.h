// Multi-factor authentication: what a pool offers and what a user has set up, and the MFA
// operations (AssociateSoftwareToken, VerifySoftwareToken, (Admin)SetUserMFAPreference,
// (Admin)SetUserSettings, (Admin)GetUserAuthFactors).
//
// A user's factors live in the user record under "Mfa":
//   {"Enabled": ["SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP", ...], "Preferred": one of them,
//    "Totp": {"Secret": base32, "Name": FriendlyDeviceName, "LastStep": the 30-s step of the last
//             code accepted (a code is good once)},          // verified by VerifySoftwareToken
//    "PendingTotp": {"Secret": base32}}                      // associated, not verified yet
// The pool's factors come from its record's "mfa" part (SetUserPoolMfaConfig) and its
// SmsConfiguration (see idp/pools.h).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emulator/api/context.h"

namespace cogemu::idp {

using json = nlohmann::json;

inline constexpr const char* kSmsMfa = "SMS_MFA";
inline constexpr const char* kTotpMfa = "SOFTWARE_TOKEN_MFA";
inline constexpr const char* kEmailMfa = "EMAIL_OTP";

// What a pool offers (its record, both parts).
struct PoolMfa {
  std::string level = "OFF";  // MfaConfiguration: OFF | OPTIONAL | ON
  bool sms = false;
  bool totp = false;
  bool email = false;
  std::string sms_message;    // SmsAuthenticationMessage ("" : the default)
  std::string email_message;  // EmailMfaConfiguration.Message
  std::string email_subject;

  static PoolMfa Of(const json& pool_record);
  // The factors the pool offers, in the order AWS lists them: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP.
  std::vector<std::string> Offered() const;
};

// The pool record (with its "mfa" part) of a pool known to exist.
json PoolRecord(const api::Context& ctx, const std::string& pool_id);

// What a user has set up (the record's "Mfa").
struct UserMfa {
  std::vector<std::string> enabled;
  std::string preferred;
  std::optional<std::string> totp_secret;  // verified
  std::string totp_name;
  int64_t totp_last_step = -1;
  std::optional<std::string> pending_totp_secret;

  static UserMfa Of(const json& user_record);
  void WriteTo(json& user_record) const;
  bool Enabled(const std::string& factor) const;
  void Enable(const std::string& factor);
  void Disable(const std::string& factor);
};

// The enabled factors the user can be challenged with now (SMS needs a phone_number, e-mail an
// email, TOTP a verified token), in AWS's order.
std::vector<std::string> UsableFactors(const json& user_record);

// UserMFASettingList, PreferredMfaSetting and the legacy MFAOptions for (Admin)GetUser and
// (Admin)GetUserAuthFactors: members are added to `out` only when set.
void AddMfaSettings(const json& user_record, json& out);

// Checks a TOTP code against the user's verified token: accepted once, within one 30-second step
// of the emulator clock. On success records the step in `user_record` (the caller writes it).
bool AcceptTotpCode(json& user_record, const std::string& code, int64_t now);

// Handlers (see api/operations.cc).
json AssociateSoftwareToken(api::Context& ctx, const json& in);
json VerifySoftwareToken(api::Context& ctx, const json& in);
json SetUserMFAPreference(api::Context& ctx, const json& in);
json AdminSetUserMFAPreference(api::Context& ctx, const json& in);
json SetUserSettings(api::Context& ctx, const json& in);
json AdminSetUserSettings(api::Context& ctx, const json& in);
json GetUserAuthFactors(api::Context& ctx, const json& in);
json AdminGetUserAuthFactors(api::Context& ctx, const json& in);

}  // namespace cogemu::idp
