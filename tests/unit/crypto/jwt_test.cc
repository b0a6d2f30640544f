#include "emulator/crypto/jwt.h"

#include <doctest/doctest.h>

#include <string>

#include "emulator/crypto/hash.h"
#include "emulator/crypto/rsa.h"
#include "emulator/random.h"

namespace cogemu::crypto {
namespace {

std::shared_ptr<const RsaKey> TestKey() {
  static const std::shared_ptr<const RsaKey> key = [] {
    SeededRandom random(1234);
    return GenerateRsaKey(&random);
  }();
  return key;
}

// Splits a token into its three raw segments (test helper; assumes well-formed input).
std::vector<std::string> Segments(const std::string& token) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    out.push_back(token.substr(start, dot - start));
  }
  out.push_back(token.substr(start));
  return out;
}

TEST_CASE("crypto jwt: sign, decode and verify") {
  const auto key = TestKey();
  const nlohmann::json claims = {{"sub", "abc"},
                                 {"token_use", "id"},
                                 {"exp", 1700003600},
                                 {"cognito:groups", {"a", "b"}},
                                 {"name", "Zoë"}};
  const std::string token = SignJwt(*key, claims);
  const auto segments = Segments(token);
  REQUIRE(segments.size() == 3);
  CHECK(*Base64UrlDecode(segments[0]) == R"({"kid":")" + key->kid() + R"(","alg":"RS256"})");
  CHECK(*Base64UrlDecode(segments[1]) == claims.dump());
  CHECK(token.find('=') == std::string::npos);

  const auto decoded = DecodeJwt(token);
  REQUIRE(decoded.has_value());
  CHECK(decoded->header == nlohmann::json({{"kid", key->kid()}, {"alg", "RS256"}}));
  CHECK(decoded->payload == claims);
  CHECK(decoded->signing_input == segments[0] + "." + segments[1]);
  CHECK(decoded->signature.size() == 256);
  CHECK(VerifyJwt(*key, *decoded));

  SeededRandom random(5678);
  const auto other = GenerateRsaKey(&random);
  CHECK_FALSE(VerifyJwt(*other, *decoded));
}

TEST_CASE("crypto jwt: tampering and alg none are rejected") {
  const auto key = TestKey();
  const std::string token = SignJwt(*key, {{"sub", "user"}, {"admin", false}});
  const auto segments = Segments(token);

  const std::string forged_payload = Base64UrlEncode(R"({"admin":true,"sub":"user"})");
  const auto tampered = DecodeJwt(segments[0] + "." + forged_payload + "." + segments[2]);
  REQUIRE(tampered.has_value());
  CHECK_FALSE(VerifyJwt(*key, *tampered));

  const std::string none_header = Base64UrlEncode(R"({"alg":"none"})");
  const auto none = DecodeJwt(none_header + "." + segments[1] + ".");
  REQUIRE(none.has_value());
  CHECK(none->signature.empty());
  CHECK_FALSE(VerifyJwt(*key, *none));
  // A valid RS256 signature under a header that claims another alg is still rejected.
  const std::string hs_header = Base64UrlEncode(R"({"alg":"HS256","kid":")" + key->kid() + "\"}");
  const std::string hs_input = hs_header + "." + segments[1];
  const auto hs = DecodeJwt(hs_input + "." + Base64UrlEncode(key->SignRs256(hs_input)));
  REQUIRE(hs.has_value());
  CHECK_FALSE(VerifyJwt(*key, *hs));

  // Every single-character change of the token fails to decode or to verify.
  const std::string alphabet = "AQgw_-.=";
  int decodable = 0;
  for (size_t i = 0; i < token.size(); i += 7) {
    for (char c : alphabet) {
      if (token[i] == c) continue;
      std::string mutated = token;
      mutated[i] = c;
      const auto decoded = DecodeJwt(mutated);
      if (!decoded) continue;
      ++decodable;
      CHECK_FALSE(VerifyJwt(*key, *decoded));
    }
  }
  CHECK(decodable > 0);
}

TEST_CASE("crypto jwt: malformed input yields nullopt") {
  const auto key = TestKey();
  const std::string token = SignJwt(*key, {{"sub", "x"}});
  const auto segments = Segments(token);
  const std::string obj = Base64UrlEncode("{}");

  CHECK_FALSE(DecodeJwt("").has_value());
  CHECK_FALSE(DecodeJwt("a.b").has_value());
  CHECK_FALSE(DecodeJwt("a.b.c").has_value());
  CHECK_FALSE(DecodeJwt("a.b.c.d").has_value());
  CHECK_FALSE(DecodeJwt("..").has_value());
  CHECK_FALSE(DecodeJwt(token + ".").has_value());
  CHECK_FALSE(DecodeJwt(std::string(10 * 1024 * 1024, '.')).has_value());
  CHECK_FALSE(DecodeJwt(obj + "." + obj + std::string(10 * 1024 * 1024, 'A') + ".").has_value());
  CHECK_FALSE(DecodeJwt("!!!." + obj + ".").has_value());           // Invalid base64.
  CHECK_FALSE(DecodeJwt(obj + "=." + obj + ".").has_value());       // Padding.
  CHECK_FALSE(DecodeJwt("e30." + obj + ".").has_value() == false);  // "{}" is fine...
  CHECK_FALSE(DecodeJwt("e31." + obj + ".").has_value());           // ...non-canonical is not.
  CHECK_FALSE(DecodeJwt(obj + "." + obj + ".A").has_value());       // 1 char: not base64.
  CHECK_FALSE(DecodeJwt(Base64UrlEncode("[1,2]") + "." + obj + ".").has_value());
  CHECK_FALSE(DecodeJwt(obj + "." + Base64UrlEncode("\"str\"") + ".").has_value());
  CHECK_FALSE(DecodeJwt(obj + "." + Base64UrlEncode("42") + ".").has_value());
  CHECK_FALSE(DecodeJwt(obj + "." + Base64UrlEncode("null") + ".").has_value());
  CHECK_FALSE(DecodeJwt(obj + "." + Base64UrlEncode("{\"a\":") + ".").has_value());
  CHECK_FALSE(DecodeJwt(obj + "." + Base64UrlEncode("{\"a\":1} x") + ".").has_value());
  CHECK_FALSE(DecodeJwt(obj + "." + Base64UrlEncode("{\"a\":\"\xff\xfe\"}") + ".").has_value());
  CHECK_FALSE(DecodeJwt(Base64UrlEncode("") + "." + obj + "." + segments[2]).has_value());
  // Deep nesting is refused before parsing.
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK_FALSE(DecodeJwt(obj + "." + Base64UrlEncode(deep) + ".").has_value());
  std::string ok_depth = "{\"a\":" + std::string(10, '[') + std::string(10, ']') + "}";
  CHECK(DecodeJwt(obj + "." + Base64UrlEncode(ok_depth) + ".").has_value());
  // Brackets inside strings don't count toward the depth.
  std::string in_string = "{\"a\":\"" + std::string(1000, '[') + "\\\"\"}";
  CHECK(DecodeJwt(obj + "." + Base64UrlEncode(in_string) + ".").has_value());

  // Random binary strings and random strings over the token alphabet never crash.
  SeededRandom random(3);
  for (int i = 0; i < 2000; ++i) {
    const size_t length = random.Below(300);
    std::string junk =
        (i % 2 == 0) ? random.Bytes(length) : random.FromAlphabet("AZaz09-_.=e3", length);
    const auto decoded = DecodeJwt(junk);
    if (decoded) CHECK_FALSE(VerifyJwt(*key, *decoded));
  }
}

}  // namespace
}  // namespace cogemu::crypto
