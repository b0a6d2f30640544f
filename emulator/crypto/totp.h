// RFC 4648 base32 and RFC 4226 / RFC 6238 one-time passwords, for software-token MFA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cogemu::crypto {

// Base32Decode rejects longer input (a 1024-character secret is far beyond any real one).
inline constexpr size_t kMaxBase32Chars = 1024;
// The RFC 6238 time step, in seconds.
inline constexpr int64_t kTotpStepSeconds = 30;
// MatchTotp's largest accepted window (steps either side of now).
inline constexpr int kMaxTotpWindow = 10;

// RFC 4648 base32 (alphabet A-Z2-7), without '=' padding.
std::string Base32Encode(std::string_view bytes);
// Case-insensitive; trailing '=' padding is allowed but not required. nullopt on any other
// character, a length no encoding can have (1, 3 or 6 characters past a multiple of 8), or more
// than kMaxBase32Chars characters. Unused trailing bits are ignored.
std::optional<std::string> Base32Decode(std::string_view text);

enum class TotpHash { kSha1, kSha256, kSha512 };

// The RFC 4226 HOTP value of `key` for `counter`: `digits` (6..8) decimal digits with leading zeros.
// Throws std::invalid_argument for other digit counts.
std::string Hotp(std::string_view key, uint64_t counter, int digits = 6, TotpHash hash = TotpHash::kSha1);

// The RFC 6238 step of a time: floor(epoch_seconds / 30), rounding towards -infinity for negatives.
constexpr int64_t TotpStep(int64_t epoch_seconds) {
  const int64_t step = epoch_seconds / kTotpStepSeconds;
  return epoch_seconds % kTotpStepSeconds < 0 ? step - 1 : step;
}

// The earliest step in [TotpStep(epoch_seconds) - window, TotpStep(epoch_seconds) + window], never
// below 0, whose 6-digit HMAC-SHA1 code equals `code` (compared in constant time, every step checked);
// nullopt if none does or `code` is not exactly 6 ASCII digits. Throws std::invalid_argument unless
// 0 <= window <= kMaxTotpWindow.
std::optional<int64_t> MatchTotp(std::string_view key, std::string_view code, int64_t epoch_seconds,
                                 int window = 1);

}  // namespace cogemu::crypto
