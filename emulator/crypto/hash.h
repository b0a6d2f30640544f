// Hashes, MACs, encodings and the operating system's CSPRNG. The only place besides the rest of
// crypto/ that touches OpenSSL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cogemu::crypto {

// Raw 32-byte digests.
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

// Standard base64 with padding; base64url without padding (JWT).
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::string_view bytes);

// Constant-time comparison of equal-length secrets (false if lengths differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Fills `out` from the OS CSPRNG; throws std::runtime_error if it fails.
void SystemRandomBytes(uint8_t* out, size_t n);

}  // namespace cogemu::crypto
