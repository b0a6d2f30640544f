#include "emulator/idp/rules/password_policy.h"

#include <algorithm>
#include <utility>

#include "emulator/api/error.h"
#include "emulator/idp/rules/usernames.h"

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;

// real AWS texts: "Password must have symbol characters" gh:aws-amplify/amplify-js#1164;
// "...numeric characters" gh:data-dot-all/dataall#690; "Password not long enough"
// gh:aws-amplify/aws-sdk-android#2370 (as the Android SDK's dialog shows AWS's message);
// "...uppercase characters" / "...lowercase characters": the same family of messages, no raw
// sample found.
constexpr std::string_view kNotLongEnough = "Password not long enough";
constexpr std::string_view kNeedsLowercase = "Password must have lowercase characters";
constexpr std::string_view kNeedsUppercase = "Password must have uppercase characters";
constexpr std::string_view kNeedsNumeric = "Password must have numeric characters";
constexpr std::string_view kNeedsSymbol = "Password must have symbol characters";

constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kDigits = "0123456789";
// The symbol set without the space: a generated password is typed or pasted by a person.
constexpr std::string_view kGeneratedSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

struct Policy {
  int minimum_length = kDefaultPasswordMinimumLength;
  bool uppercase = true;
  bool lowercase = true;
  bool numbers = true;
  bool symbols = true;
};

bool Flag(const json& policy, const char* key) {
  const auto it = policy.find(key);
  return it != policy.end() && it->is_boolean() && it->get<bool>();
}

Policy ParsePolicy(const json& policy) {
  Policy p;
  if (!policy.is_object()) return p;
  const auto it = policy.find("MinimumLength");
  p.minimum_length =
      it != policy.end() && it->is_number_integer() ? it->get<int>() : kDefaultPasswordMinimumLength;
  p.uppercase = Flag(policy, "RequireUppercase");
  p.lowercase = Flag(policy, "RequireLowercase");
  p.numbers = Flag(policy, "RequireNumbers");
  p.symbols = Flag(policy, "RequireSymbols");
  return p;
}

// Java's \s: [ \t\n\x0B\f\r].
bool IsJavaSpace(char32_t cp) { return cp == ' ' || (cp >= 0x09 && cp <= 0x0D); }
// Java's line terminators, which '.' does not match.
bool IsLineTerminator(char32_t cp) {
  return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

json DefaultPasswordPolicy() {
  return {{"MinimumLength", kDefaultPasswordMinimumLength},
          {"RequireUppercase", true},
          {"RequireLowercase", true},
          {"RequireNumbers", true},
          {"RequireSymbols", true},
          {"TemporaryPasswordValidityDays", 7}};
}

std::optional<std::string> PasswordPolicyViolation(const json& policy, std::string_view password) {
  const Policy p = ParsePolicy(policy);
  const std::u32string cps = DecodeUtf8(password);
  if (static_cast<long long>(cps.size()) < p.minimum_length) return std::string(kNotLongEnough);
  bool lower = false, upper = false, digit = false, symbol = false;
  for (char32_t cp : cps) {
    lower = lower || IsLowercaseLetter(cp);
    upper = upper || IsUppercaseLetter(cp);
    digit = digit || (cp >= U'0' && cp <= U'9');
    symbol = symbol || (cp < 0x80 && kPasswordSymbols.find(static_cast<char>(cp)) != std::string_view::npos);
  }
  if (p.lowercase && !lower) return std::string(kNeedsLowercase);
  if (p.uppercase && !upper) return std::string(kNeedsUppercase);
  if (p.numbers && !digit) return std::string(kNeedsNumeric);
  if (p.symbols && !symbol) return std::string(kNeedsSymbol);
  return std::nullopt;
}

std::string PasswordPolicyMessage(std::string_view reason, PasswordContext context) {
  // real AWS texts: self-service "Password did not conform with policy: ..."
  // (gh:aws-amplify/amplify-js#1164); admin "Password did not conform with password policy: ..."
  // (AdminCreateUser, gh:data-dot-all/dataall#690).
  std::string out = context == PasswordContext::kAdmin ? "Password did not conform with password policy: "
                                                       : "Password did not conform with policy: ";
  out += reason;
  return out;
}

void EnforcePasswordPolicy(const json& policy, std::string_view password, PasswordContext context) {
  if (auto reason = PasswordPolicyViolation(policy, password)) {
    throw ApiError("InvalidPasswordException", PasswordPolicyMessage(*reason, context));
  }
}

bool MatchesPasswordPattern(std::string_view password) {
  const std::u32string cps = DecodeUtf8(password);
  if (cps.size() < 2 || IsJavaSpace(cps.front()) || IsJavaSpace(cps.back())) return false;
  for (size_t i = 1; i + 1 < cps.size(); ++i) {
    if (IsLineTerminator(cps[i])) return false;
  }
  return true;
}

void CheckPasswordPattern(std::string_view password, std::string_view member) {
  if (MatchesPasswordPattern(password)) return;
  // real AWS text (ConfirmForgotPassword with a trailing space, 2025), seen in
  // gh:cds-snc/platform-forms-client#5635
  std::string message = "1 validation error detected: Value at '";
  message += member;
  message += "' failed to satisfy constraint: Member must satisfy regular expression pattern: ";
  message += kPasswordPattern;
  throw errors::InvalidParameter(std::move(message));
}

std::string GenerateTemporaryPassword(const json& policy, Random& random) {
  const Policy p = ParsePolicy(policy);
  const size_t length = static_cast<size_t>(std::max(p.minimum_length, kDefaultPasswordMinimumLength));
  std::string pool(kLower);
  pool += kUpper;
  pool += kDigits;
  std::string out;
  out += random.FromAlphabet(kLower, 1);
  out += random.FromAlphabet(kUpper, 1);
  out += random.FromAlphabet(kDigits, 1);
  if (p.symbols) {
    out += random.FromAlphabet(kGeneratedSymbols, 1);
    pool += kGeneratedSymbols;
  }
  if (out.size() < length) out += random.FromAlphabet(pool, length - out.size());
  // Fisher-Yates, so the required characters are not always in front.
  for (size_t i = out.size() - 1; i > 0; --i) {
    const size_t j = static_cast<size_t>(random.Below(i + 1));
    std::swap(out[i], out[j]);
  }
  return out;
}

}  // namespace cogemu::idp::rules
