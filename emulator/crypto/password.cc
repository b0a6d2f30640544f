#include "emulator/crypto/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <stdexcept>

#include "emulator/crypto/hash.h"

namespace cogemu::crypto {

namespace {

// PBKDF2-HMAC-SHA256(password, salt, iterations) -> 32 bytes; throws on OpenSSL failure.
std::string Pbkdf2(std::string_view password, std::string_view salt, int iterations) {
  if (password.size() > static_cast<size_t>(INT_MAX))
    throw std::invalid_argument("password too long");
  std::string out(kPasswordHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  return out;
}

// The validation shared by FromJson and VerifyPassword; returns the decoded salt.
std::optional<std::string> ValidSalt(const PasswordHash& h) {
  if (h.algorithm != kPasswordAlgorithm) return std::nullopt;
  if (h.iterations < 1 || h.iterations > kMaxPasswordIterations) return std::nullopt;
  std::optional<std::string> salt = Base64Decode(h.salt_b64);
  if (!salt || salt->empty() || salt->size() > 1024) return std::nullopt;
  std::optional<std::string> hash = Base64Decode(h.hash_b64);
  if (!hash || hash->size() != kPasswordHashBytes) return std::nullopt;
  return salt;
}

}  // namespace

nlohmann::json PasswordHash::ToJson() const {
  return {
      {"algorithm", algorithm}, {"iterations", iterations}, {"salt", salt_b64}, {"hash", hash_b64}};
}

std::optional<PasswordHash> PasswordHash::FromJson(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  const auto algorithm = json.find("algorithm");
  const auto iterations = json.find("iterations");
  const auto salt = json.find("salt");
  const auto hash = json.find("hash");
  if (algorithm == json.end() || !algorithm->is_string() || iterations == json.end() ||
      !iterations->is_number_integer() || salt == json.end() || !salt->is_string() ||
      hash == json.end() || !hash->is_string()) {
    return std::nullopt;
  }
  const int64_t count = iterations->get<int64_t>();
  if (count < 1 || count > kMaxPasswordIterations) return std::nullopt;
  PasswordHash out;
  out.algorithm = algorithm->get<std::string>();
  out.iterations = static_cast<int>(count);
  out.salt_b64 = salt->get<std::string>();
  out.hash_b64 = hash->get<std::string>();
  if (!ValidSalt(out)) return std::nullopt;
  return out;
}

PasswordHash HashPassword(std::string_view password, Random& random, int iterations) {
  return HashPasswordWithSalt(password, random.Bytes(kPasswordSaltBytes), iterations);
}

PasswordHash HashPasswordWithSalt(std::string_view password, std::string_view salt, int iterations) {
  if (iterations < 1) throw std::invalid_argument("PBKDF2 iterations must be >= 1");
  PasswordHash out;
  out.algorithm = kPasswordAlgorithm;
  out.iterations = iterations;
  out.salt_b64 = Base64Encode(salt);
  std::string derived = Pbkdf2(password, salt, iterations);
  out.hash_b64 = Base64Encode(derived);
  OPENSSL_cleanse(derived.data(), derived.size());
  return out;
}

bool VerifyPassword(std::string_view password, const PasswordHash& stored) {
  const std::optional<std::string> salt = ValidSalt(stored);
  if (!salt) return false;
  const std::optional<std::string> expected = Base64Decode(stored.hash_b64);
  if (!expected) return false;
  std::string derived = Pbkdf2(password, *salt, stored.iterations);
  const bool ok = ConstantTimeEquals(derived, *expected);
  OPENSSL_cleanse(derived.data(), derived.size());
  return ok;
}

std::string SecretHash(std::string_view client_secret, std::string_view username,
                       std::string_view client_id) {
  std::string message(username);
  message += client_id;
  return Base64Encode(HmacSha256(client_secret, message));
}

}  // namespace cogemu::crypto
