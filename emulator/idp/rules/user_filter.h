// ListUsers' Filter: the grammar AWS documents, parsed into one condition. Pure: no store, no I/O.
//
//   Filter    := ws* [ Attribute ws* Operator ws* Value ws* ]
//   Attribute := username | email | phone_number | name | given_name | family_name
//              | preferred_username | cognito:user_status | status | sub
//   Operator  := "=" (exact match) | "^=" (prefix, "starts with")
//   Value     := '"' { any character but '"' | '\"' | '\\' } '"'
//
// Inside the value \" is a quote and \\ a backslash (AWS documents escaping quotes with a
// backslash). Unconfirmed: AWS's treatment of a backslash before any other character; here "\x"
// is kept as the two characters \x, as a user typing a lone backslash would expect.
// An empty filter (absent, "" or only white space) lists every user. Everything else: a custom
// or unknown attribute, a missing or unknown operator, an unquoted or unterminated value,
// anything after the closing quote (two conditions), is refused with AWS's
// InvalidParameterException "Error while parsing filter." (gh:aws/aws-sdk-php#1088, #1961).
// Unconfirmed: AWS's answer to white space only, and to white space before the attribute or
// after the closing quote (accepted here); spaces around the operator are optional, as in the
// widely used `email="..."` form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cogemu::idp::rules {

struct UserFilter {
  std::string attribute;  // one of the searchable names above, e.g. "cognito:user_status"
  bool prefix = false;    // true for ^=
  std::string value;      // unescaped
  bool operator==(const UserFilter&) const = default;
};

// The condition, nullopt for an empty filter, or InvalidParameterException (see above).
std::optional<UserFilter> ParseUserFilter(std::string_view text);

// One line naming the condition, equal for two filters that mean the same (pagination tokens are
// bound to it): attribute, operator and value as parsed, white space and escapes normalised away.
std::string CanonicalUserFilter(const std::optional<UserFilter>& filter);

bool IsSearchableAttribute(std::string_view name);

}  // namespace cogemu::idp::rules
