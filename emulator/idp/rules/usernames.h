// Usernames: the key a user is stored under, what Cognito takes for an email address or a phone
// number, and the UsernameAttributes / AliasAttributes rules for the username a caller picks.
// Also the small UTF-8 and letter-case helpers the other rules share. Pure: no store, no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/util/utf8.h"

namespace cogemu::idp::rules {

// ---- UTF-8 and letter case --------------------------------------------------------------------

// See emulator/util/utf8.h.
inline std::u32string DecodeUtf8(std::string_view utf8) { return utf8::Decode(utf8); }
inline void AppendUtf8(char32_t cp, std::string& out) { utf8::Append(cp, out); }
inline size_t Utf16Length(std::string_view s) { return utf8::Utf16Length(s); }

// Letter case for the scripts the emulator folds: ASCII, Latin-1 Supplement, Latin Extended-A,
// basic Greek (U+0386-U+03CE) and basic Cyrillic (U+0400-U+045F). Other code points have no case
// here. U+0130 (capital I with dot) lower-cases to "i" + U+0307, as Java's toLowerCase does.
bool IsUppercaseLetter(char32_t cp);
bool IsLowercaseLetter(char32_t cp);
// Lower-cases every letter of the scripts above; everything else is copied unchanged.
std::string ToLowerUtf8(std::string_view utf8);

// ---- Usernames ----------------------------------------------------------------------------------

// The key a username is stored and looked up under: unchanged when the pool is case-sensitive
// (UsernameConfiguration.CaseSensitive=true, the API default), else lower-cased by ToLowerUtf8.
std::string UsernameKey(std::string_view username, bool case_sensitive);

// What Cognito takes for an email address. AWS documents only "the standard email format with @
// symbol and domain"; this is a pragmatic RFC 5322 subset:
//   <local>@<domain>, exactly one '@', no whitespace or control characters anywhere;
//   local: RFC 5322 atext (A-Z a-z 0-9 ! # $ % & ' * + - / = ? ^ _ ` { | } ~), dots (not
//          first, not last, never two in a row) and non-ASCII characters; at least one;
//   domain: at least two dot-separated, non-empty labels of letters, digits, '-' (not at a
//          label's start or end) or non-ASCII characters; the last label has 2+ characters.
// No length limits beyond the attribute's own (2048).
// Quoted local parts and IP-literal domains are not accepted.
bool LooksLikeEmail(std::string_view value);

// E.164 as Cognito states it ("+" followed by digits only): '+' then 1-15 ASCII digits.
bool LooksLikePhone(std::string_view value);

// For a pool with UsernameAttributes (["email"], ["phone_number"] or both): the attribute the
// sign-up username stands for ("email" or "phone_number"), or InvalidParameterException:
//   both allowed: "Username should be either an email or a phone number."
//   email only:   "Username should be an email."
//   phone only:   "Username should be a phone number."
// An email-looking username is taken as an email first. With no UsernameAttributes (empty or not
// an array) returns "": the username is an ordinary username.
std::string UsernameAttributeFor(const nlohmann::json& username_attributes, std::string_view username);

// For a pool with AliasAttributes: a username may not look like an email when "email" is an alias,
// nor like a phone number when "phone_number" is. Throws InvalidParameterException.
void CheckUsernameAgainstAliases(const nlohmann::json& alias_attributes, std::string_view username);

}  // namespace cogemu::idp::rules
