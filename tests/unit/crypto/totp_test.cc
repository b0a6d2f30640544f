#include "emulator/crypto/totp.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace cogemu::crypto {
namespace {

TEST_CASE("crypto totp: base32 RFC 4648 vectors") {
  const struct {
    const char* bytes;
    const char* base32;
  } vectors[] = {{"", ""},           {"f", "MY"},           {"fo", "MZXQ"},         {"foo", "MZXW6"},
                 {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
  for (const auto& vector : vectors) {
    CAPTURE(vector.bytes);
    CHECK(Base32Encode(vector.bytes) == vector.base32);
    CHECK(Base32Decode(vector.base32) == vector.bytes);
  }
  // Every byte value round-trips, at every length mod 5.
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len <= 10; ++len) {
    const std::string bytes = all.substr(250 - len, len);
    CHECK(Base32Decode(Base32Encode(bytes)) == bytes);
  }
  CHECK(Base32Decode(Base32Encode(all)) == all);
  CHECK(Base32Encode(all).find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == std::string::npos);
}

TEST_CASE("crypto totp: base32 decoding is lenient about case and padding, strict otherwise") {
  CHECK(Base32Decode("MY======") == "f");
  CHECK(Base32Decode("MZXQ====") == "fo");
  CHECK(Base32Decode("MZXW6===") == "foo");
  CHECK(Base32Decode("MZXW6YQ=") == "foob");
  CHECK(Base32Decode("MZXW6YTBOI======") == "foobar");
  CHECK(Base32Decode("mzxw6ytboi") == "foobar");
  CHECK(Base32Decode("mZxW6yTbOi==") == "foobar");
  CHECK(Base32Decode("========") == "");

  CHECK_FALSE(Base32Decode("M").has_value());          // 1, 3 or 6 characters past a block: impossible.
  CHECK_FALSE(Base32Decode("MZX").has_value());
  CHECK_FALSE(Base32Decode("MZXW6Y").has_value());
  CHECK_FALSE(Base32Decode("MZXW6YTBO").has_value());
  CHECK_FALSE(Base32Decode("MY=A").has_value());       // Padding only at the end.
  CHECK_FALSE(Base32Decode("=MY").has_value());
  CHECK_FALSE(Base32Decode("MZ1Q").has_value());       // 0, 1, 8, 9 are not in the alphabet.
  CHECK_FALSE(Base32Decode("MZ8Q").has_value());
  CHECK_FALSE(Base32Decode("MZXQ MZXQ").has_value());
  CHECK_FALSE(Base32Decode("MZ-Q").has_value());
  CHECK_FALSE(Base32Decode("MZ\xc3\x9cQ").has_value());
  CHECK_FALSE(Base32Decode(std::string_view("MZ\0Q", 4)).has_value());

  CHECK(Base32Decode(std::string(kMaxBase32Chars, 'A')).value().size() == kMaxBase32Chars * 5 / 8);
  CHECK_FALSE(Base32Decode(std::string(kMaxBase32Chars + 1, 'A')).has_value());
  CHECK_FALSE(Base32Decode(std::string(kMaxBase32Chars + 8, '=')).has_value());
  CHECK_FALSE(Base32Decode(std::string(1 << 20, 'A')).has_value());
}

TEST_CASE("crypto totp: RFC 4226 Appendix D HOTP values") {
  const std::string key = "12345678901234567890";
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    CAPTURE(counter);
    CHECK(Hotp(key, counter) == expected[counter]);
  }
  CHECK(Hotp(key, 0, 7) == "4755224");  // RFC 4226 D: truncated value 1284755224.
  CHECK(Hotp(key, 0, 8) == "84755224");
  CHECK_THROWS_AS(Hotp(key, 0, 5), std::invalid_argument);
  CHECK_THROWS_AS(Hotp(key, 0, 9), std::invalid_argument);
  CHECK(Hotp(key, std::numeric_limits<uint64_t>::max()).size() == 6);
}

TEST_CASE("crypto totp: RFC 6238 Appendix B vectors") {
  const std::string sha1_seed = "12345678901234567890";
  const std::string sha256_seed = "12345678901234567890123456789012";
  const std::string sha512_seed = "1234567890123456789012345678901234567890123456789012345678901234";
  const struct {
    int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  } vectors[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const auto& vector : vectors) {
    CAPTURE(vector.time);
    const auto step = static_cast<uint64_t>(TotpStep(vector.time));
    CHECK(Hotp(sha1_seed, step, 8, TotpHash::kSha1) == vector.sha1);
    CHECK(Hotp(sha256_seed, step, 8, TotpHash::kSha256) == vector.sha256);
    CHECK(Hotp(sha512_seed, step, 8, TotpHash::kSha512) == vector.sha512);
    // MatchTotp uses the 6-digit SHA-1 code: the last six digits of the 8-digit one.
    CHECK(MatchTotp(sha1_seed, std::string(vector.sha1).substr(2), vector.time) ==
          static_cast<int64_t>(step));
  }
}

TEST_CASE("crypto totp: TotpStep floors") {
  CHECK(TotpStep(0) == 0);
  CHECK(TotpStep(29) == 0);
  CHECK(TotpStep(30) == 1);
  CHECK(TotpStep(59) == 1);
  CHECK(TotpStep(-1) == -1);
  CHECK(TotpStep(-30) == -1);
  CHECK(TotpStep(-31) == -2);
  CHECK(TotpStep(std::numeric_limits<int64_t>::min()) == std::numeric_limits<int64_t>::min() / 30 - 1);
  CHECK(TotpStep(std::numeric_limits<int64_t>::max()) == std::numeric_limits<int64_t>::max() / 30);
  static_assert(TotpStep(-1) == -1);
}

TEST_CASE("crypto totp: MatchTotp window and code format") {
  const std::string key = "0123456789abcdefghij";
  const int64_t now = 1700000000;  // Step 56666666, 20 s into it.
  const int64_t step = TotpStep(now);
  REQUIRE(step == 56666666);
  auto code_at = [&](int64_t offset) { return Hotp(key, static_cast<uint64_t>(step + offset)); };
  CHECK(MatchTotp(key, code_at(0), now) == step);
  CHECK(MatchTotp(key, code_at(-1), now) == step - 1);
  CHECK(MatchTotp(key, code_at(1), now) == step + 1);
  CHECK_FALSE(MatchTotp(key, code_at(-2), now).has_value());
  CHECK_FALSE(MatchTotp(key, code_at(2), now).has_value());
  CHECK(MatchTotp(key, code_at(-2), now, 2) == step - 2);
  CHECK(MatchTotp(key, code_at(2), now, 2) == step + 2);
  CHECK_FALSE(MatchTotp(key, code_at(1), now, 0).has_value());
  CHECK(MatchTotp(key, code_at(0), now, 0) == step);
  // The step boundaries: the first and last second of the current step.
  CHECK(MatchTotp(key, code_at(0), step * 30, 0) == step);
  CHECK(MatchTotp(key, code_at(0), step * 30 + 29, 0) == step);
  CHECK_FALSE(MatchTotp(key, code_at(0), step * 30 + 30, 0).has_value());
  CHECK_FALSE(MatchTotp("another key", code_at(0), now).has_value());

  const std::string code = code_at(0);
  CHECK_FALSE(MatchTotp(key, code.substr(0, 5), now).has_value());
  CHECK_FALSE(MatchTotp(key, code + "0", now).has_value());
  CHECK_FALSE(MatchTotp(key, "", now).has_value());
  std::string spaced = code;
  spaced[0] = ' ';
  CHECK_FALSE(MatchTotp(key, spaced, now).has_value());
  std::string lettered = code;
  lettered[5] = 'a';
  CHECK_FALSE(MatchTotp(key, lettered, now).has_value());
  CHECK_FALSE(MatchTotp(key, "12345\xd9\xa3", now).has_value());  // A non-ASCII digit.
  CHECK_FALSE(MatchTotp(key, "-12345", now).has_value());
  CHECK_FALSE(MatchTotp(key, "+12345", now).has_value());

  // Steps below zero are never matched.
  CHECK(MatchTotp(key, Hotp(key, 0), 5) == 0);
  CHECK_FALSE(MatchTotp(key, Hotp(key, static_cast<uint64_t>(-1)), 5).has_value());
  CHECK_THROWS_AS(MatchTotp(key, code, now, -1), std::invalid_argument);
  CHECK_THROWS_AS(MatchTotp(key, code, now, kMaxTotpWindow + 1), std::invalid_argument);
}

}  // namespace
}  // namespace cogemu::crypto
