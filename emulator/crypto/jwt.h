// Compact JWS (RS256) tokens, shaped like real Cognito tokens.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/crypto/rsa.h"

namespace cogemu::crypto {

// DecodeJwt rejects longer tokens (real ones are a few KB) and deeper JSON nesting.
inline constexpr size_t kMaxJwtBytes = 1 << 20;
inline constexpr int kMaxJwtJsonDepth = 64;

// Compact JWS with header exactly {"kid":"<kid>","alg":"RS256"} (this key order, no "typ", like
// real Cognito tokens), payload = claims.dump() (sorted keys, compact), base64url without padding.
// Throws if `claims` cannot be serialised (invalid UTF-8) or signing fails.
std::string SignJwt(const RsaKey& key, const nlohmann::json& claims);

struct DecodedJwt {
  nlohmann::json header;      // Always an object.
  nlohmann::json payload;     // Always an object.
  std::string signing_input;  // "<header b64>.<payload b64>", what the signature covers.
  std::string signature;      // Raw signature bytes (may be empty, e.g. alg "none").
};

// Splits and decodes a compact JWS (3 segments, canonical unpadded base64url, header and payload
// JSON objects); nullopt for anything malformed. Never throws, whatever the input.
std::optional<DecodedJwt> DecodeJwt(std::string_view token);

// True if `decoded` was signed by `key` with RS256 (header alg must be "RS256").
bool VerifyJwt(const RsaKey& key, const DecodedJwt& decoded);

}  // namespace cogemu::crypto
