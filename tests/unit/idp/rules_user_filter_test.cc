#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "emulator/api/error.h"
#include "emulator/idp/rules/user_filter.h"

namespace cogemu::idp::rules {
namespace {

TEST_CASE("rules user filter: valid filters parse to one condition") {
  struct {
    const char* text;
    const char* attribute;  // nullptr: the empty filter (every user)
    bool prefix;
    const char* value;
  } cases[] = {
      {"", nullptr, false, ""},
      {"   ", nullptr, false, ""},
      {"email = \"a@example.com\"", "email", false, "a@example.com"},
      {"email=\"a@example.com\"", "email", false, "a@example.com"},
      {"email  =   \"a@example.com\"  ", "email", false, "a@example.com"},
      {"  email =\"a\"", "email", false, "a"},
      {"email ^= \"a@\"", "email", true, "a@"},
      {"email^=\"a@\"", "email", true, "a@"},
      {"username = \"Alice\"", "username", false, "Alice"},
      {"phone_number ^= \"+1555\"", "phone_number", true, "+1555"},
      {"name = \"Jane Doe\"", "name", false, "Jane Doe"},
      {"given_name = \"Jon\"", "given_name", false, "Jon"},
      {"family_name = \"Reddy\"", "family_name", false, "Reddy"},
      {"preferred_username = \"jd\"", "preferred_username", false, "jd"},
      {"cognito:user_status = \"confirmed\"", "cognito:user_status", false, "confirmed"},
      {"status = \"Enabled\"", "status", false, "Enabled"},
      {"sub = \"52c99df9-f7ef-42b2-9127-9675ba4e2414\"", "sub", false, "52c99df9-f7ef-42b2-9127-9675ba4e2414"},
      {"family_name = \"O\\\"Brien\"", "family_name", false, "O\"Brien"},      // \" is a quote
      {"name = \"back\\\\slash\"", "name", false, "back\\slash"},             // \\ is a backslash
      {"name = \"a\\b\"", "name", false, "a\\b"},                              // other \x kept
      {"name = \"\"", "name", false, ""},                                      // empty value
      {"name ^= \"\"", "name", true, ""},
      {"name = \"a = \\\"b\\\" and c\"", "name", false, "a = \"b\" and c"},
      {"name = \"caf\xc3\xa9\"", "name", false, "caf\xc3\xa9"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    std::optional<UserFilter> parsed = ParseUserFilter(c.text);
    if (!c.attribute) {
      CHECK_FALSE(parsed.has_value());
      continue;
    }
    REQUIRE(parsed.has_value());
    CHECK(parsed->attribute == c.attribute);
    CHECK(parsed->prefix == c.prefix);
    CHECK(parsed->value == c.value);
  }
}

TEST_CASE("rules user filter: invalid filters are refused with AWS's message") {
  const char* cases[] = {
      "email",                                  // no operator
      "email =",                                // no value
      "email = a@example.com",                  // unquoted value
      "email = \"a@example.com",                // unterminated
      "email = \"a\\\"",                        // the only quote is escaped
      "email != \"a\"",                         // unknown operator
      "email == \"a\"",
      "email $= \"a\"",
      "email ^ \"a\"",
      "= \"a\"",                                // no attribute
      "\"email\" = \"a\"",                      // quoted attribute
      "custom:tier = \"gold\"",                 // custom attributes are not searchable
      "locale = \"en\"",                        // standard but not searchable
      "email_verified = \"true\"",
      "Email = \"a\"",                          // names are case-sensitive
      "emails = \"a\"",
      "email = \"a\" and name = \"b\"",         // two conditions
      "email = \"a\" name = \"b\"",
      "email = \"a\"\"b\"",
      "email = \"a\" x",
      "email = 'a'",
  };
  for (const char* text : cases) {
    CAPTURE(text);
    try {
      ParseUserFilter(text);
      FAIL("accepted");
    } catch (const ApiError& e) {
      CHECK(e.code() == "InvalidParameterException");
      CHECK(e.message() == "Error while parsing filter.");
    }
  }
}

TEST_CASE("rules user filter: the canonical form ignores spelling, not meaning") {
  auto canonical = [](const char* text) { return CanonicalUserFilter(ParseUserFilter(text)); };
  CHECK(canonical("email=\"a\"") == canonical(" email  = \"a\" "));
  CHECK(canonical("email = \"a\"") != canonical("email ^= \"a\""));
  CHECK(canonical("email = \"a\"") != canonical("name = \"a\""));
  CHECK(canonical("email = \"a\"") != canonical("email = \"b\""));
  CHECK(canonical("") == CanonicalUserFilter(std::nullopt));
  CHECK(canonical("") != canonical("email ^= \"\""));
}

TEST_CASE("rules user filter: searchable attributes") {
  for (const char* name : {"username", "email", "phone_number", "name", "given_name", "family_name",
                           "preferred_username", "cognito:user_status", "status", "sub"}) {
    CAPTURE(name);
    CHECK(IsSearchableAttribute(name));
  }
  for (const char* name : {"custom:x", "locale", "email_verified", "Username", ""}) {
    CAPTURE(name);
    CHECK_FALSE(IsSearchableAttribute(name));
  }
}

}  // namespace
}  // namespace cogemu::idp::rules
