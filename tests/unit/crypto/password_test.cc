#include "emulator/crypto/password.h"

#include <doctest/doctest.h>

#include "emulator/crypto/hash.h"
#include "emulator/random.h"

namespace cogemu::crypto {
namespace {

TEST_CASE("crypto password: SECRET_HASH vector") {
  CHECK(SecretHash("s3cr3t", "alice", "client123") ==
        "kOPeHzvKtscBvBM4zlIffwOT074cplXWBq9MCfoDa4k=");
}

TEST_CASE("crypto password: hash and verify") {
  SeededRandom random(1);
  const PasswordHash hash = HashPassword("Passw0rd!", random);
  CHECK(hash.algorithm == "PBKDF2-HMAC-SHA256");
  CHECK(hash.iterations == kDefaultPasswordIterations);
  CHECK(Base64Decode(hash.salt_b64)->size() == 16);
  CHECK(Base64Decode(hash.hash_b64)->size() == 32);
  CHECK(hash.hash_b64.find("Passw0rd") == std::string::npos);
  CHECK(VerifyPassword("Passw0rd!", hash));
  CHECK_FALSE(VerifyPassword("Passw0rd", hash));
  CHECK_FALSE(VerifyPassword("passw0rd!", hash));
  CHECK_FALSE(VerifyPassword("", hash));

  const PasswordHash again = HashPassword("Passw0rd!", random);
  CHECK(again.salt_b64 != hash.salt_b64);
  CHECK(again.hash_b64 != hash.hash_b64);
  CHECK(VerifyPassword("Passw0rd!", again));

  const PasswordHash empty = HashPassword("", random, 1);
  CHECK(VerifyPassword("", empty));
  CHECK_FALSE(VerifyPassword("x", empty));
  CHECK_THROWS_AS(HashPassword("x", random, 0), std::invalid_argument);
}

TEST_CASE("crypto password: RFC-style PBKDF2-HMAC-SHA256 vector") {
  // PBKDF2-HMAC-SHA256("password", "salt", 1, 32) from RFC 7914 / common test vectors.
  PasswordHash known;
  known.algorithm = "PBKDF2-HMAC-SHA256";
  known.iterations = 1;
  known.salt_b64 = Base64Encode("salt");
  known.hash_b64 =
      Base64Encode(std::string("\x12\x0f\xb6\xcf\xfc\xf8\xb3\x2c\x43\xe7\x22\x52\x56\xc4\xf8\x37"
                               "\xa8\x65\x48\xc9\x2c\xcc\x35\x48\x08\x05\x98\x7c\xb7\x0b\xe1\x7b",
                               32));
  CHECK(VerifyPassword("password", known));
  CHECK_FALSE(VerifyPassword("Password", known));
}

TEST_CASE("crypto password: JSON round trip and validation") {
  SeededRandom random(2);
  const PasswordHash hash = HashPassword("hunter2", random, 150);
  const nlohmann::json json = hash.ToJson();
  CHECK(json.size() == 4);
  const auto back = PasswordHash::FromJson(json);
  REQUIRE(back.has_value());
  CHECK(back->algorithm == hash.algorithm);
  CHECK(back->iterations == 150);
  CHECK(back->salt_b64 == hash.salt_b64);
  CHECK(back->hash_b64 == hash.hash_b64);
  CHECK(VerifyPassword("hunter2", *back));

  auto with = [&](const char* field, nlohmann::json value) {
    nlohmann::json copy = json;
    if (value.is_discarded()) {
      copy.erase(field);
    } else {
      copy[field] = std::move(value);
    }
    return PasswordHash::FromJson(copy);
  };
  const nlohmann::json remove(nlohmann::json::value_t::discarded);
  CHECK_FALSE(with("algorithm", "PBKDF2-HMAC-SHA1").has_value());
  CHECK_FALSE(with("algorithm", "plaintext").has_value());
  CHECK_FALSE(with("algorithm", remove).has_value());
  CHECK_FALSE(with("iterations", 0).has_value());
  CHECK_FALSE(with("iterations", -5).has_value());
  CHECK_FALSE(with("iterations", 1.5).has_value());
  CHECK_FALSE(with("iterations", "100").has_value());
  CHECK_FALSE(with("iterations", 1LL << 40).has_value());
  CHECK_FALSE(with("salt", "!!!").has_value());
  CHECK_FALSE(with("salt", "").has_value());
  CHECK_FALSE(with("hash", Base64Encode("short")).has_value());
  CHECK_FALSE(with("hash", 7).has_value());
  CHECK_FALSE(PasswordHash::FromJson(nlohmann::json::array()).has_value());
  CHECK_FALSE(PasswordHash::FromJson(nullptr).has_value());

  PasswordHash wrong = hash;
  wrong.algorithm = "md5";
  CHECK_FALSE(VerifyPassword("hunter2", wrong));
}

}  // namespace
}  // namespace cogemu::crypto
