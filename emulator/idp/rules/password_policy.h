// The user pool's password policy (Policies.PasswordPolicy), the request-level password pattern,
// and temporary-password generation. Pure: randomness comes in as a Random&.
//
// `policy` is the PasswordPolicyType JSON as the AWS API shapes it:
//   {"MinimumLength":8,"RequireUppercase":true,"RequireLowercase":true,"RequireNumbers":true,
//    "RequireSymbols":true,"TemporaryPasswordValidityDays":7,"PasswordHistorySize":0}
// A policy that is not an object (null: the pool has no Policies) means the AWS default above
// (MinimumLength 8, all four classes required). In an object an absent MinimumLength means 8 and
// an absent Require* flag means false. PasswordHistorySize needs the user's history and is not
// checked here.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/random.h"

namespace cogemu::idp::rules {

// AWS's password symbol set (DG/user-pool-settings-policies), space included.
inline constexpr std::string_view kPasswordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
inline constexpr int kDefaultPasswordMinimumLength = 8;

// The effective policy AWS applies to a pool created without Policies.
nlohmann::json DefaultPasswordPolicy();

// The first rule `password` breaks, as AWS words it, or nullopt if it conforms. The order is
// length, lowercase, uppercase, numeric, symbol (AWS's own order is not documented and no sample
// showing two violations at once was found):
//   "Password not long enough"                  length in Unicode code points < MinimumLength
//   "Password must have lowercase characters"   needs a lowercase letter (see IsLowercaseLetter)
//   "Password must have uppercase characters"   needs an uppercase letter (see IsUppercaseLetter)
//   "Password must have numeric characters"     needs an ASCII digit 0-9
//   "Password must have symbol characters"      needs one of kPasswordSymbols
std::optional<std::string> PasswordPolicyViolation(const nlohmann::json& policy, std::string_view password);

// Which API set the password; AWS words the InvalidPasswordException differently.
enum class PasswordContext {
  kSelfService,  // SignUp, ChangePassword, ConfirmForgotPassword, NEW_PASSWORD_REQUIRED
  kAdmin,        // AdminCreateUser TemporaryPassword, AdminSetUserPassword
};

// "Password did not conform with policy: <reason>" (kSelfService) or
// "Password did not conform with password policy: <reason>" (kAdmin).
std::string PasswordPolicyMessage(std::string_view reason, PasswordContext context);

// Throws ApiError("InvalidPasswordException", PasswordPolicyMessage(...)) if the password breaks
// the policy.
void EnforcePasswordPolicy(const nlohmann::json& policy, std::string_view password, PasswordContext context);

// The pattern AWS's request validation now applies to password members (no leading or trailing
// whitespace, at least two characters, no line breaks inside), with Java regex semantics:
// \S = not [ \t\n\x0B\f\r]; '.' = not [\n\r\u0085\u2028\u2029].
inline constexpr std::string_view kPasswordPattern = "^[\\S]+.*[\\S]+$";
bool MatchesPasswordPattern(std::string_view password);
// Throws InvalidParameterException
//   "1 validation error detected: Value at '<member>' failed to satisfy constraint: Member must
//    satisfy regular expression pattern: ^[\S]+.*[\S]+$"
// if the password does not match. `member` is the request member in camelCase ("password",
// "proposedPassword", "temporaryPassword"...). Call it before EnforcePasswordPolicy: AWS validates
// the request before it looks at the pool. (The service-2.json model still says [\S]+; the live
// service answers with this pattern, so a request-level validator built from the model would
// reject inner spaces that AWS accepts.)
void CheckPasswordPattern(std::string_view password, std::string_view member);

// A temporary password that satisfies `policy`: max(MinimumLength, 8) printable ASCII characters
// (no space), at least one of each required class plus one lowercase, one uppercase and one digit
// whatever the policy, the rest drawn from letters and digits (and symbols when required), then
// shuffled. All draws come from `random`.
std::string GenerateTemporaryPassword(const nlohmann::json& policy, Random& random);

}  // namespace cogemu::idp::rules
