#include "emulator/idp/rules/masking.h"

#include "emulator/idp/rules/usernames.h"

namespace cogemu::idp::rules {
namespace {

constexpr std::string_view kStars = "***";

// The first code point of `text`, UTF-8 encoded ("" for an empty string).
std::string FirstCharacter(std::string_view text) {
  const std::u32string cps = DecodeUtf8(text);
  std::string out;
  if (!cps.empty()) AppendUtf8(cps.front(), out);
  return out;
}

}  // namespace

std::string MaskEmail(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) {
    return email.empty() ? std::string() : FirstCharacter(email) + std::string(kStars);
  }
  std::string out = FirstCharacter(email.substr(0, at));
  out += kStars;
  out += '@';
  out += FirstCharacter(email.substr(at + 1));
  out += kStars;
  return out;
}

std::string MaskPhone(std::string_view phone) {
  std::string out;
  std::string_view digits = phone;
  if (!digits.empty() && digits.front() == '+') {
    out.push_back('+');
    digits.remove_prefix(1);
  }
  const std::u32string cps = DecodeUtf8(digits);
  const size_t shown = cps.size() < 4 ? cps.size() : 4;
  out.append(cps.size() - shown, '*');
  for (size_t i = cps.size() - shown; i < cps.size(); ++i) AppendUtf8(cps[i], out);
  return out;
}

std::string MaskDestination(std::string_view attribute_name, std::string_view value) {
  if (attribute_name == "email") return MaskEmail(value);
  if (attribute_name == "phone_number") return MaskPhone(value);
  return value.empty() ? std::string() : FirstCharacter(value) + std::string(kStars);
}

}  // namespace cogemu::idp::rules
