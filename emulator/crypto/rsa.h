// RSA-2048 signing keys for the user pools' RS256 tokens. OpenSSL stays behind this header: the
// native key lives in an opaque internal::RsaNative defined in rsa.cc.
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/random.h"

namespace cogemu::crypto {

namespace internal {
// The OpenSSL objects behind an RsaKey (EVP_PKEY plus prepared sign/verify contexts); rsa.cc only.
struct RsaNative;
}  // namespace internal

// An RSA-2048 private key, parsed once; immutable; SignRs256/VerifyRs256 are thread-safe.
class RsaKey {
 public:
  // Parses an unencrypted private key PEM (PKCS#8, or PKCS#1 "RSA PRIVATE KEY"); the key must be
  // RSA with a 2048-bit modulus. Throws std::runtime_error otherwise.
  static std::shared_ptr<const RsaKey> FromPem(std::string_view pkcs8_private_pem);

  // Takes ownership of a native key (only rsa.cc can make one); use FromPem / GenerateRsaKey.
  explicit RsaKey(std::unique_ptr<internal::RsaNative> native);
  ~RsaKey();
  RsaKey(const RsaKey&) = delete;
  RsaKey& operator=(const RsaKey&) = delete;

  // Canonical PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), what we store.
  const std::string& private_pem() const { return private_pem_; }
  // Standard base64 (44 chars, '=' padded) of SHA-256 of the DER SubjectPublicKeyInfo.
  const std::string& kid() const { return kid_; }
  // {"alg":"RS256","e":"AQAB","kid":...,"kty":"RSA","n":<base64url, minimal>,"use":"sig"}.
  const nlohmann::json& jwk() const { return jwk_; }

  // Raw 256-byte RSASSA-PKCS1-v1_5 SHA-256 signature of `data`; throws std::runtime_error.
  std::string SignRs256(std::string_view data) const;
  // True iff `signature` is a valid RS256 signature of `data` by this key.
  bool VerifyRs256(std::string_view data, std::string_view signature) const;

 private:
  std::unique_ptr<internal::RsaNative> native_;
  std::string private_pem_;
  std::string kid_;
  nlohmann::json jwk_;
};

// True iff `signature` is a valid RS256 signature of `data` by the RSA public key of `jwk`
// ({"kty":"RSA","n","e"} base64url; any modulus size from 1024 to 8192 bits). Never throws: a
// JWK that is not a usable RSA key verifies nothing. For tokens of external identity providers.
bool VerifyRs256WithJwk(const nlohmann::json& jwk, std::string_view data, std::string_view signature);

// Generates a fresh RSA-2048 key (e = 65537). With `deterministic` != nullptr the key depends only
// on the bytes drawn from it (same stream -> byte-identical PEM and kid); otherwise OpenSSL's
// keygen with the OS RNG is used. Throws std::runtime_error on failure.
std::shared_ptr<const RsaKey> GenerateRsaKey(Random* deterministic = nullptr);

// GenerateRsaKey that gives up and returns nullptr soon after `*cancel` becomes true (checked
// between prime candidates); used by KeyReservoir's background thread.
std::shared_ptr<const RsaKey> GenerateRsaKeyCancellable(Random* deterministic,
                                                        const std::atomic<bool>* cancel);

}  // namespace cogemu::crypto
