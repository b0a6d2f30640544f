#include <doctest/doctest.h>

#include <string>

#include "emulator/idp/rules/masking.h"

namespace cogemu::idp::rules {
namespace {

TEST_CASE("rules masking: email destinations") {
  struct {
    const char* email;
    const char* masked;
  } cases[] = {
      {"test@example.com", "t***@e***"},
      {"test@test.com", "t***@t***"},  // the AWS-verified sample
      {"a@b.co", "a***@b***"},
      {"john.doe+tag@mail.example.org", "j***@m***"},
      {"Z@EXAMPLE.COM", "Z***@E***"},
      {"\xc3\xa9lodie@\xc3\xa9xample.fr", "\xc3\xa9***@\xc3\xa9***"},  // first characters kept whole
      {"no-at-sign", "n***"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.email);
    CHECK(MaskEmail(c.email) == c.masked);
    CHECK(MaskDestination("email", c.email) == c.masked);
  }
}

TEST_CASE("rules masking: phone destinations") {
  struct {
    const char* phone;
    const char* masked;
  } cases[] = {
      {"+15551234567", "+*******4567"},    // 11 digits: 7 hidden
      {"+447700900123", "+********0123"},  // 12 digits: 8 hidden, the shape seen in amplify-js#2341
      {"+4915112345", "+******2345"},      // 10 digits
      {"5551234567", "******4567"},        // 10 digits, no '+'
      {"+1234", "+1234"},                  // nothing left to hide
      {"+12", "+12"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.phone);
    CHECK(MaskPhone(c.phone) == c.masked);
    CHECK(MaskDestination("phone_number", c.phone) == c.masked);
  }
}

TEST_CASE("rules masking: other attributes keep only the first character") {
  CHECK(MaskDestination("custom:backup", "secret") == "s***");
  CHECK(MaskDestination("custom:backup", "") == "");
}

}  // namespace
}  // namespace cogemu::idp::rules
