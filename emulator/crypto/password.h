// Password hashing (passwords are never stored in plaintext) and the Cognito SECRET_HASH.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/random.h"

namespace cogemu::crypto {

// The only algorithm HashPassword produces and VerifyPassword / FromJson accept.
inline constexpr std::string_view kPasswordAlgorithm = "PBKDF2-HMAC-SHA256";
// Deliberately low: this is a local test emulator where sign-in throughput matters far more than
// the brute-force cost of a leaked store (use production-grade counts, e.g. 600,000, elsewhere).
inline constexpr int kDefaultPasswordIterations = 100;
// FromJson rejects larger counts, so a corrupted store cannot stall every sign-in.
inline constexpr int kMaxPasswordIterations = 10'000'000;
inline constexpr size_t kPasswordSaltBytes = 16;
inline constexpr size_t kPasswordHashBytes = 32;

struct PasswordHash {
  std::string algorithm;  // kPasswordAlgorithm.
  int iterations = 0;
  std::string salt_b64;  // Standard base64 of the 16-byte salt.
  std::string hash_b64;  // Standard base64 of the 32-byte derived key.

  // {"algorithm":...,"hash":...,"iterations":...,"salt":...}.
  nlohmann::json ToJson() const;
  // Inverse of ToJson; nullopt unless every field is present, well-typed and valid (known
  // algorithm, iterations in [1, kMaxPasswordIterations], decodable salt, 32-byte hash). Never
  // throws.
  static std::optional<PasswordHash> FromJson(const nlohmann::json& json);
};

// PBKDF2-HMAC-SHA256 with a 16-byte random salt from `random`, `iterations` rounds, 32-byte output.
// Throws std::invalid_argument if iterations < 1.
PasswordHash HashPassword(std::string_view password, Random& random,
                          int iterations = kDefaultPasswordIterations);

// The same with a given salt (kPasswordSaltBytes bytes), for callers that draw it themselves.
PasswordHash HashPasswordWithSalt(std::string_view password, std::string_view salt, int iterations);

// True if `password` matches `stored` (constant-time compare); false for any invalid `stored`.
bool VerifyPassword(std::string_view password, const PasswordHash& stored);

// SECRET_HASH = Base64(HMAC_SHA256(key = client_secret, msg = username + client_id)).
std::string SecretHash(std::string_view client_secret, std::string_view username,
                       std::string_view client_id);

}  // namespace cogemu::crypto
