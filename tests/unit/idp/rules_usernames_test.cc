#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "emulator/api/error.h"
#include "emulator/idp/rules/usernames.h"

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;

struct Thrown {
  std::string code;
  std::string message;
};

template <typename F>
std::optional<Thrown> ErrorOf(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return Thrown{e.code(), e.message()};
  }
  return std::nullopt;
}

TEST_CASE("rules usernames: the storage key folds case only for case-insensitive pools") {
  struct {
    const char* username;
    const char* folded;
  } cases[] = {
      {"Alice", "alice"},
      {"ALICE_99", "alice_99"},
      {"alice", "alice"},
      {"Test.User@Example.COM", "test.user@example.com"},
      {"\xc3\x80\xc3\x89\xc3\x8e\xc3\x96\xc3\x9c\xc3\x87\xc3\x91",
       "\xc3\xa0\xc3\xa9\xc3\xae\xc3\xb6\xc3\xbc\xc3\xa7\xc3\xb1"},  // ÀÉÎÖÜÇÑ
      {"\xc3\x97\xc3\x9f", "\xc3\x97\xc3\x9f"},                  // × and ß have no lower/upper pair here
      {"ŁÓDŹ", "łódź"},                                          // ŁÓDŹ -> łódź (Latin Extended-A)
      {"\xc4\x8c\xc5\xa0\xc5\xbd", "\xc4\x8d\xc5\xa1\xc5\xbe"},  // ČŠŽ -> čšž
      {"\xc5\xb8", "\xc3\xbf"},                                  // Ÿ -> ÿ
      {"\xc4\xb0", "i\xcc\x87"},                                 // İ -> i + combining dot (Java)
      {"\xce\x91\xce\xb8\xce\x97\xce\x9d\xce\x91",
       "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1"},  // ΑθΗΝΑ -> αθηνα
      {"\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90",
       "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"},      // МОСКВА
      {"\xd0\x81\xd0\xb6", "\xd1\x91\xd0\xb6"},                  // Ёж -> ёж
      {"\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac"},  // CJK unchanged
      {"\xf0\x9f\x98\x80X", "\xf0\x9f\x98\x80x"},                // emoji kept, X folded
  };
  for (const auto& c : cases) {
    CAPTURE(c.username);
    CHECK(UsernameKey(c.username, false) == c.folded);
    CHECK(UsernameKey(c.username, true) == c.username);
  }
}

TEST_CASE("rules usernames: UTF-8 helpers") {
  CHECK(DecodeUtf8("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == std::u32string{U'a', 0xE9, 0x20AC, 0x1F600});
  CHECK(DecodeUtf8("\xff"
                   "a\xc3") == std::u32string{0xFFFD, U'a', 0xFFFD});
  CHECK(DecodeUtf8("\xc0\xaf") == std::u32string{0xFFFD, 0xFFFD});  // overlong
  CHECK(Utf16Length("a\xc3\xa9\xf0\x9f\x98\x80") == 4);
  std::string s;
  for (char32_t cp : {U'a', char32_t{0xE9}, char32_t{0x20AC}, char32_t{0x1F600}}) AppendUtf8(cp, s);
  CHECK(s == "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  CHECK(IsUppercaseLetter(U'Q'));
  CHECK(IsLowercaseLetter(U'q'));
  CHECK_FALSE(IsUppercaseLetter(U'1'));
  CHECK_FALSE(IsLowercaseLetter(0x4E2D));
  CHECK(IsLowercaseLetter(0xDF));   // ß
  CHECK(IsLowercaseLetter(0x131));  // dotless ı
}

TEST_CASE("rules usernames: what counts as an email") {
  const char* good[] = {
      "test@example.com",
      "a@b.co",
      "first.last@sub.example.org",
      "user+tag@example.io",
      "o'brien@example.ie",
      "x_y-z@my-domain.example",
      "UPPER@EXAMPLE.COM",
      "1234@5678.net",
      "!#$%&'*+-/=?^_`{|}~@example.com",
      "\xc3\xa9lodie@exemple.fr",
      "user@b\xc3\xbc"
      "cher.de",
  };
  const char* bad[] = {
      "",
      "plainaddress",
      "@example.com",
      "user@",
      "user@localhost",
      "user@example.c",
      "user@@example.com",
      "us@er@example.com",
      "user name@example.com",
      " user@example.com",
      "user@example.com ",
      "user@exa mple.com",
      ".user@example.com",
      "user.@example.com",
      "us..er@example.com",
      "user@.example.com",
      "user@example..com",
      "user@example.com.",
      "user@-example.com",
      "user@example-.com",
      "user@exa_mple.com",
      "\"quoted\"@example.com",
      "user@[192.168.0.1]",
      "user(comment)@example.com",
      "user,x@example.com",
      "user@example.com\n",
      "us\ter@example.com",
      "user@example.\xff\xfe",
  };
  for (const char* e : good) {
    CAPTURE(e);
    CHECK(LooksLikeEmail(e));
  }
  for (const char* e : bad) {
    CAPTURE(e);
    CHECK_FALSE(LooksLikeEmail(e));
  }
}

TEST_CASE("rules usernames: what counts as a phone number") {
  const char* good[] = {"+15551234567", "+447700900123", "+1", "+123456789012345", "+0"};
  const char* bad[] = {
      "",
      "+",
      "15551234567",
      "+1234567890123456",
      "+1 555 123 4567",
      "+1-555-123-4567",
      "++1",
      "+1555123456a",
      "(555) 123-4567",
      " +15551234567",
      "+15551234567 ",
      "+\xd9\xa1\xd9\xa2",
  };
  for (const char* p : good) {
    CAPTURE(p);
    CHECK(LooksLikePhone(p));
  }
  for (const char* p : bad) {
    CAPTURE(p);
    CHECK_FALSE(LooksLikePhone(p));
  }
}

TEST_CASE("rules usernames: UsernameAttributes decide what the username stands for") {
  const json email_only = {"email"};
  const json phone_only = {"phone_number"};
  const json both = {"email", "phone_number"};
  const json both_reversed = {"phone_number", "email"};
  constexpr const char* kEither = "Username should be either an email or a phone number.";
  constexpr const char* kEmail = "Username should be an email.";
  constexpr const char* kPhone = "Username should be a phone number.";
  struct {
    const json* config;
    const char* username;
    const char* attribute;  // nullptr: throws `message`
    const char* message;
  } cases[] = {
      {&email_only, "test@example.com", "email", nullptr},
      {&email_only, "+15551234567", nullptr, kEmail},
      {&email_only, "alice", nullptr, kEmail},
      {&phone_only, "+15551234567", "phone_number", nullptr},
      {&phone_only, "test@example.com", nullptr, kPhone},
      {&phone_only, "5551234567", nullptr, kPhone},
      {&both, "test@example.com", "email", nullptr},
      {&both, "+15551234567", "phone_number", nullptr},
      {&both, "alice", nullptr, kEither},
      {&both_reversed, "a@b.co", "email", nullptr},
      {&both_reversed, "+44", "phone_number", nullptr},
      {&both_reversed, "+44 7700", nullptr, kEither},
  };
  for (const auto& c : cases) {
    CAPTURE(c.config->dump());
    CAPTURE(c.username);
    if (c.attribute != nullptr) {
      CHECK(UsernameAttributeFor(*c.config, c.username) == c.attribute);
    } else {
      const auto e = ErrorOf([&] { UsernameAttributeFor(*c.config, c.username); });
      REQUIRE(e.has_value());
      CHECK(e->code == "InvalidParameterException");
      CHECK(e->message == c.message);
    }
  }
  CHECK(UsernameAttributeFor(json::array(), "alice") == "");
  CHECK(UsernameAttributeFor(json(nullptr), "test@example.com") == "");
}

TEST_CASE("rules usernames: AliasAttributes forbid usernames that look like an alias") {
  constexpr const char* kEmailAlias =
      "Username cannot be of email format, since user pool is configured for email alias.";
  constexpr const char* kPhoneAlias =
      "Username cannot be of phone_number format, since user pool is configured for phone_number alias.";
  const json email = {"email"};
  const json phone = {"phone_number"};
  const json all = {"email", "phone_number", "preferred_username"};
  const json preferred = {"preferred_username"};
  struct {
    const json* aliases;
    const char* username;
    const char* message;  // nullptr: accepted
  } cases[] = {
      {&email, "jdoe@email.com", kEmailAlias},
      {&email, "jdoe", nullptr},
      {&email, "+15551234567", nullptr},
      {&phone, "+15551234567", kPhoneAlias},
      {&phone, "jdoe@email.com", nullptr},
      {&phone, "15551234567", nullptr},
      {&all, "jdoe@email.com", kEmailAlias},
      {&all, "+15551234567", kPhoneAlias},
      {&all, "jdoe", nullptr},
      {&preferred, "jdoe@email.com", nullptr},
      {&preferred, "+15551234567", nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.aliases->dump());
    CAPTURE(c.username);
    const auto e = ErrorOf([&] { CheckUsernameAgainstAliases(*c.aliases, c.username); });
    if (c.message == nullptr) {
      CHECK_FALSE(e.has_value());
    } else {
      REQUIRE(e.has_value());
      CHECK(e->code == "InvalidParameterException");
      CHECK(e->message == c.message);
    }
  }
}

}  // namespace
}  // namespace cogemu::idp::rules
