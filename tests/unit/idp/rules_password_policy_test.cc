#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "emulator/api/error.h"
#include "emulator/idp/rules/password_policy.h"
#include "emulator/random.h"

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;

constexpr const char* kLength = "Password not long enough";
constexpr const char* kLower = "Password must have lowercase characters";
constexpr const char* kUpper = "Password must have uppercase characters";
constexpr const char* kNumeric = "Password must have numeric characters";
constexpr const char* kSymbol = "Password must have symbol characters";

struct Thrown {
  std::string code;
  std::string message;
  int status = 0;
};

template <typename F>
std::optional<Thrown> ErrorOf(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return Thrown{e.code(), e.message(), e.status()};
  }
  return std::nullopt;
}

json Relaxed(int minimum_length) {
  return {{"MinimumLength", minimum_length}, {"RequireUppercase", false},
          {"RequireLowercase", false},       {"RequireNumbers", false},
          {"RequireSymbols", false},         {"TemporaryPasswordValidityDays", 7}};
}

struct Case {
  const char* password;
  const char* reason;  // nullptr: conforms
};

void CheckCases(const json& policy, const Case* begin, const Case* end) {
  for (const Case* c = begin; c != end; ++c) {
    CAPTURE(c->password);
    const auto got = PasswordPolicyViolation(policy, c->password);
    if (c->reason == nullptr) {
      CHECK_FALSE(got.has_value());
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == c->reason);
    }
  }
}

TEST_CASE("rules password policy: the default policy (8, all four classes)") {
  const Case cases[] = {
      {"Passw0rd!", nullptr},
      {"Pass word1", nullptr},  // space is a symbol
      {"Passw0rd+", nullptr},
      {"Pa0!", kLength},
      {"pass", kLength},      // length is reported first
      {"Pa0!abc", kLength},   // 7
      {"Pa0!abcd", nullptr},  // 8
      {"PASSWORD1!", kLower},
      {"password1!", kUpper},
      {"12345678!", kLower},  // lowercase before uppercase
      {"Password!!", kNumeric},
      {"Password11", kSymbol},
      {"passwordpassword", kUpper},
      {"PASSWORDPASSWORD", kLower},
      {"PasswordPassword", kNumeric},
      {"École123!", nullptr},  // non-ASCII capital letter counts as uppercase
      {"ÉCOLE123!", kLower},
      {"école123!", kUpper},
      {"Пароль123!", nullptr},  // Cyrillic letters have case too
      {"Pass\xe2\x82\xac"
       "word1",
       kSymbol},                              // '€' is not in AWS's symbol set
      {"Passw\xc3\xb8rd1\xc2\xa7", kSymbol},  // nor is '§'
  };
  CheckCases(json(nullptr), std::begin(cases), std::end(cases));
  CheckCases(DefaultPasswordPolicy(), std::begin(cases), std::end(cases));
}

TEST_CASE("rules password policy: every AWS symbol counts, others do not") {
  const json policy = DefaultPasswordPolicy();
  for (char symbol : kPasswordSymbols) {
    const std::string password = std::string("Passw0rd") + symbol;
    CAPTURE(password);
    CHECK_FALSE(PasswordPolicyViolation(policy, password).has_value());
  }
  CHECK(kPasswordSymbols.size() == 33);  // 32 printable symbols + space
  for (const char* not_symbol : {"Passw0rd\t", "Passw0rdÀ"}) {
    CAPTURE(not_symbol);
    CHECK(PasswordPolicyViolation(policy, not_symbol) == std::optional<std::string>(kSymbol));
  }
}

TEST_CASE("rules password policy: relaxed and partial policies") {
  const Case relaxed[] = {
      {"abcdef", nullptr}, {"abcde", kLength},
      {"      ", nullptr},  // the policy has nothing against spaces; the pattern does
      {"123456", nullptr}, {"ABCDEF", nullptr},
  };
  CheckCases(Relaxed(6), std::begin(relaxed), std::end(relaxed));

  const json numbers_only = {{"MinimumLength", 10}, {"RequireNumbers", true}};
  const Case partial[] = {
      {"abcdefghij", kNumeric},
      {"abcdefghi1", nullptr},
      {"abcdefgh1", kLength},
      {"ABCDEFGHI1", nullptr},
  };
  CheckCases(numbers_only, std::begin(partial), std::end(partial));

  // Absent MinimumLength: 8. Absent Require* flags: false.
  const Case defaults_in_object[] = {{"abcdefg", kLength}, {"abcdefgh", nullptr}};
  const json empty_object = json::object();
  CheckCases(empty_object, std::begin(defaults_in_object), std::end(defaults_in_object));
}

TEST_CASE("rules password policy: length counts Unicode code points") {
  const Case cases[] = {
      {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", kLength},          // 7 x 'é' (14 bytes)
      {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", nullptr},  // 8 x 'é'
      {"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
       "\xf0\x9f\x98\x80",
       kLength},  // 7 emoji (28 bytes)
      {"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
       "\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
       nullptr},  // 8 emoji
      {"\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86",
       kLength},  // 7 CJK
  };
  CheckCases(Relaxed(8), std::begin(cases), std::end(cases));
}

TEST_CASE("rules password policy: InvalidPasswordException wording per context") {
  const json policy = DefaultPasswordPolicy();
  struct {
    const char* password;
    PasswordContext context;
    const char* message;
  } cases[] = {
      {"Password11", PasswordContext::kSelfService,
       "Password did not conform with policy: Password must have symbol characters"},
      {"Password!!", PasswordContext::kAdmin,
       "Password did not conform with password policy: Password must have numeric characters"},
      {"short", PasswordContext::kSelfService,
       "Password did not conform with policy: Password not long enough"},
      {"short", PasswordContext::kAdmin,
       "Password did not conform with password policy: Password not long enough"},
      {"password1!", PasswordContext::kSelfService,
       "Password did not conform with policy: Password must have uppercase characters"},
      {"PASSWORD1!", PasswordContext::kAdmin,
       "Password did not conform with password policy: Password must have lowercase characters"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.password);
    const auto e = ErrorOf([&] { EnforcePasswordPolicy(policy, c.password, c.context); });
    REQUIRE(e.has_value());
    CHECK(e->code == "InvalidPasswordException");
    CHECK(e->message == c.message);
    CHECK(e->status == 400);
  }
  CHECK_FALSE(
      ErrorOf([&] { EnforcePasswordPolicy(policy, "Passw0rd!", PasswordContext::kAdmin); }).has_value());
  CHECK(PasswordPolicyMessage("x", PasswordContext::kSelfService) ==
        "Password did not conform with policy: x");
}

TEST_CASE("rules password policy: leading and trailing whitespace (request pattern)") {
  struct {
    const char* password;
    bool ok;
  } cases[] = {
      {"ab", true},
      {"a b", true},
      {"Pass word 1!", true},
      {"a\tb", true},        // inner tab is fine: '.' matches it
      {"ab\xc2\xa0", true},  // NBSP is \S in Java
      {" ab", false},
      {"ab ", false},
      {"\tab", false},
      {"ab\n", false},
      {"a\nb", false},  // '.' does not match a line terminator
      {"a\rb", false},
      {"a\xe2\x80\xa8"
       "b",
       false},       // U+2028
      {"a", false},  // the pattern needs two characters
      {"", false},
      {"  ", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.password);
    CHECK(MatchesPasswordPattern(c.password) == c.ok);
  }
  const auto e = ErrorOf([] { CheckPasswordPattern("secret ", "proposedPassword"); });
  REQUIRE(e.has_value());
  CHECK(e->code == "InvalidParameterException");
  CHECK(e->message ==
        "1 validation error detected: Value at 'proposedPassword' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: ^[\\S]+.*[\\S]+$");
  CHECK_FALSE(ErrorOf([] { CheckPasswordPattern("se cret", "password"); }).has_value());
}

TEST_CASE("rules password policy: generated temporary passwords conform") {
  const json policies[] = {
      json(nullptr),
      DefaultPasswordPolicy(),
      Relaxed(6),
      Relaxed(12),
      {{"MinimumLength", 20},
       {"RequireUppercase", true},
       {"RequireLowercase", true},
       {"RequireNumbers", true},
       {"RequireSymbols", true}},
      {{"MinimumLength", 99}, {"RequireSymbols", true}},
      {{"MinimumLength", 6}, {"RequireNumbers", true}},
      json::object(),
  };
  SeededRandom random(20240601);
  for (const auto& policy : policies) {
    CAPTURE(policy.dump());
    const int min = policy.is_object() ? policy.value("MinimumLength", 8) : 8;
    const size_t expected_length = static_cast<size_t>(min < 8 ? 8 : min);
    for (int i = 0; i < 1000; ++i) {
      const std::string password = GenerateTemporaryPassword(policy, random);
      CAPTURE(password);
      REQUIRE(password.size() == expected_length);
      for (char ch : password) REQUIRE((ch >= 0x21 && ch <= 0x7E));  // printable ASCII, no space
      REQUIRE_FALSE(PasswordPolicyViolation(policy, password).has_value());
      // A lowercase letter, an uppercase letter and a digit whatever the policy.
      const auto against_default = PasswordPolicyViolation(DefaultPasswordPolicy(), password);
      REQUIRE((!against_default || *against_default == kSymbol));
      REQUIRE(MatchesPasswordPattern(password));
    }
  }
  SeededRandom a(7), b(7);
  CHECK(GenerateTemporaryPassword(DefaultPasswordPolicy(), a) ==
        GenerateTemporaryPassword(DefaultPasswordPolicy(), b));
}

}  // namespace
}  // namespace cogemu::idp::rules
