#include "emulator/crypto/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <stdexcept>

#include "emulator/crypto/hash.h"

namespace cogemu::crypto {

namespace {

constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

const EVP_MD* Digest(TotpHash hash) {
  switch (hash) {
    case TotpHash::kSha1:
      return EVP_sha1();
    case TotpHash::kSha256:
      return EVP_sha256();
    case TotpHash::kSha512:
      return EVP_sha512();
  }
  throw std::invalid_argument("unknown TOTP hash");
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += kBase32[(acc << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  if (text.size() > kMaxBase32Chars) return std::nullopt;
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  const size_t tail = text.size() % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = Base32Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string Hotp(std::string_view key, uint64_t counter, int digits, TotpHash hash) {
  if (digits < 6 || digits > 8) throw std::invalid_argument("HOTP digits must be 6..8");
  if (key.size() > static_cast<size_t>(INT_MAX)) throw std::invalid_argument("HOTP key too long");
  unsigned char message[8];
  for (int i = 7; i >= 0; --i, counter >>= 8) message[i] = static_cast<unsigned char>(counter & 0xFF);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(Digest(hash), key.data(), static_cast<int>(key.size()), message, sizeof message, mac, &mac_len) ||
      mac_len < 20) {
    throw std::runtime_error("HOTP HMAC failed");
  }
  // RFC 4226 dynamic truncation.
  const unsigned offset = mac[mac_len - 1] & 0x0F;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  uint32_t value = binary % modulus;
  std::string out(static_cast<size_t>(digits), '0');
  for (size_t i = out.size(); i-- > 0; value /= 10) out[i] = static_cast<char>('0' + value % 10);
  return out;
}

std::optional<int64_t> MatchTotp(std::string_view key, std::string_view code, int64_t epoch_seconds,
                                 int window) {
  if (window < 0 || window > kMaxTotpWindow) throw std::invalid_argument("TOTP window out of range");
  if (code.size() != 6) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const int64_t now = TotpStep(epoch_seconds);
  std::optional<int64_t> match;
  for (int64_t step = now - window; step <= now + window; ++step) {
    if (step < 0) continue;
    // No early exit: the time taken does not depend on which step (if any) matched.
    const bool equal = ConstantTimeEquals(Hotp(key, static_cast<uint64_t>(step)), code);
    if (equal && !match) match = step;
  }
  return match;
}

}  // namespace cogemu::crypto
