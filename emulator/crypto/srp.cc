#include "emulator/crypto/srp.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "emulator/crypto/hash.h"
#include "emulator/crypto/openssl_handles.h"

namespace cogemu::crypto::srp {

namespace {

constexpr unsigned long kG = 2;  // NOLINT(runtime/int): BN_set_word's type.
constexpr size_t kMaxHexDigits = 2 * kMaxMagnitudeBytes;
constexpr std::string_view kDerivedKeyInfo = "Caldera Derived Key\x01";

using ossl::BnCtxPtr;
using ossl::BnPtr;
using ossl::NewBn;
using ossl::ThrowOpenSsl;
struct MontFree {
  void operator()(BN_MONT_CTX* p) const { BN_MONT_CTX_free(p); }
};
using MontPtr = std::unique_ptr<BN_MONT_CTX, MontFree>;

// Magnitude -> BIGNUM. Secret values get BN_FLG_CONSTTIME. Throws std::invalid_argument if
// `bytes` is longer than kMaxMagnitudeBytes (`what` names the argument).
BnPtr ToBn(std::string_view bytes, const char* what, bool secret = false) {
  if (bytes.size() > kMaxMagnitudeBytes) {
    throw std::invalid_argument(std::string("SRP ") + what + " too long");
  }
  BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()),
                     nullptr));
  if (!bn) ThrowOpenSsl("BN_bin2bn");
  if (secret) BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
  return bn;
}

// BIGNUM -> magnitude.
std::string ToMagnitude(const BIGNUM* bn) {
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string_view StripLeadingZeros(std::string_view magnitude) {
  while (!magnitude.empty() && magnitude.front() == '\0') magnitude.remove_prefix(1);
  return magnitude;
}

// One BN_CTX per thread (a BN_CTX is a stack of scratch numbers; reusing it saves its
// allocations on every exponentiation).
BN_CTX* ThreadCtx() {
  thread_local BnCtxPtr ctx(BN_CTX_secure_new());
  if (!ctx) ThrowOpenSsl("BN_CTX_new");
  return ctx.get();
}

// N, g, k and the Montgomery context for N: built once on first use (thread-safe static
// initialisation) and deliberately never freed, so that a thread still signing in while the process
// exits cannot see them destroyed. Read-only after construction; OpenSSL only reads `mont` (hence
// the shared non-const pointer is safe across threads).
struct Group {
  BnPtr n;
  BnPtr g;
  BnPtr k;
  MontPtr mont;
  // Fixed-base table for g^e with e of at most kCombBits bits (every exponent the server raises
  // g to: x and b are 256-bit): entry (i, j) = g^(j · 16^i) in Montgomery form, kModulusBytes
  // little-endian bytes, at table[(i * 16 + j) * kModulusBytes]. 384 KB; g^e then costs 64
  // Montgomery multiplications instead of ~380 for a square-and-multiply ladder.
  std::vector<unsigned char> table;
};

constexpr int kCombWindowBits = 4;
constexpr int kCombEntries = 1 << kCombWindowBits;
constexpr int kCombBits = 256;
constexpr int kCombWindows = kCombBits / kCombWindowBits;

// Fills group.table (see Group).
void BuildCombTable(Group& group, BN_CTX* ctx) {
  group.table.assign(static_cast<size_t>(kCombWindows) * kCombEntries * kModulusBytes, 0);
  auto store = [&](int i, int j, const BIGNUM* value) {
    unsigned char* at = &group.table[(static_cast<size_t>(i) * kCombEntries + j) * kModulusBytes];
    if (BN_bn2lebinpad(value, at, static_cast<int>(kModulusBytes)) != static_cast<int>(kModulusBytes)) {
      ThrowOpenSsl("BN_bn2lebinpad");
    }
  };
  BnPtr one = NewBn();
  BnPtr base = NewBn();  // g^(16^i), Montgomery form
  BnPtr value = NewBn();
  if (!BN_to_montgomery(one.get(), BN_value_one(), group.mont.get(), ctx) ||
      !BN_to_montgomery(base.get(), group.g.get(), group.mont.get(), ctx)) {
    ThrowOpenSsl("BN_to_montgomery");
  }
  for (int i = 0; i < kCombWindows; ++i) {
    store(i, 0, one.get());
    if (!BN_copy(value.get(), base.get())) ThrowOpenSsl("BN_copy");
    for (int j = 1; j < kCombEntries; ++j) {
      store(i, j, value.get());
      if (!BN_mod_mul_montgomery(value.get(), value.get(), base.get(), group.mont.get(), ctx)) {
        ThrowOpenSsl("BN_mod_mul_montgomery");
      }
    }
    // value is now base^16: the next window's base.
    std::swap(base, value);
  }
}

const Group& TheGroup() {
  static const Group* const group = [] {
    auto made = std::make_unique<Group>();
    BIGNUM* n = nullptr;
    if (BN_hex2bn(&n, kPrimeHex) != static_cast<int>(std::char_traits<char>::length(kPrimeHex))) ThrowOpenSsl("BN_hex2bn");
    made->n.reset(n);
    made->g = NewBn();
    if (!BN_set_word(made->g.get(), kG)) ThrowOpenSsl("BN_set_word");
    BN_CTX* ctx = ThreadCtx();
    made->mont.reset(BN_MONT_CTX_new());
    if (!made->mont || !BN_MONT_CTX_set(made->mont.get(), made->n.get(), ctx)) {
      ThrowOpenSsl("BN_MONT_CTX_set");
    }
    // k = H(Pad(N) ‖ Pad(g)).
    made->k = ToBn(Sha256(Pad(ToMagnitude(made->n.get())) + Pad(ToMagnitude(made->g.get()))), "k");
    BuildCombTable(*made, ctx);
    return made.release();
  }();
  return *group;
}

// base^exponent mod N; constant time in the exponent (and flags it BN_FLG_CONSTTIME).
BnPtr ModExpSecret(const Group& group, const BIGNUM* base, BIGNUM* exponent, BN_CTX* ctx) {
  BN_set_flags(exponent, BN_FLG_CONSTTIME);
  BnPtr out = NewBn();
  if (!BN_mod_exp_mont_consttime(out.get(), base, exponent, group.n.get(), ctx, group.mont.get())) {
    ThrowOpenSsl("BN_mod_exp_mont_consttime");
  }
  return out;
}

// g^exponent mod N from the fixed-base table when the exponent has at most kCombBits bits, else by
// ModExpSecret. The table entry of each window is read by scanning the whole row with masks, so
// the memory touched does not depend on the (secret) exponent.
BnPtr GPowSecret(const Group& group, BIGNUM* exponent, BN_CTX* ctx) {
  if (BN_num_bits(exponent) > kCombBits) return ModExpSecret(group, group.g.get(), exponent, ctx);
  std::array<unsigned char, kCombBits / 8> e{};
  if (BN_bn2lebinpad(exponent, e.data(), static_cast<int>(e.size())) != static_cast<int>(e.size())) {
    ThrowOpenSsl("BN_bn2lebinpad");
  }
  // Rows are scanned a 64-bit word at a time (the table's bytes are copied into words first).
  constexpr size_t kWords = kModulusBytes / 8;
  std::array<uint64_t, kWords> entry{};
  BnPtr acc = NewBn();
  BnPtr factor = NewBn();
  if (!BN_to_montgomery(acc.get(), BN_value_one(), group.mont.get(), ctx)) ThrowOpenSsl("BN_to_montgomery");
  for (int i = 0; i < kCombWindows; ++i) {
    const unsigned window = (e[static_cast<size_t>(i) / 2] >> (4 * (i % 2))) & 0x0F;
    entry.fill(0);
    const unsigned char* row = &group.table[static_cast<size_t>(i) * kCombEntries * kModulusBytes];
    for (unsigned j = 0; j < kCombEntries; ++j) {
      // All ones when j == window, else 0, without a branch on the secret.
      const uint64_t mask = 0 - static_cast<uint64_t>(((j ^ window) - 1u) >> 31);
      uint64_t candidate[kWords];
      std::memcpy(candidate, row + j * kModulusBytes, kModulusBytes);
      for (size_t w = 0; w < kWords; ++w) entry[w] |= candidate[w] & mask;
    }
    if (!BN_lebin2bn(reinterpret_cast<const unsigned char*>(entry.data()), static_cast<int>(kModulusBytes),
                     factor.get()) ||
        !BN_mod_mul_montgomery(acc.get(), acc.get(), factor.get(), group.mont.get(), ctx)) {
      ThrowOpenSsl("SRP fixed-base exponentiation");
    }
  }
  OPENSSL_cleanse(e.data(), e.size());
  OPENSSL_cleanse(entry.data(), entry.size());
  BnPtr out = NewBn();
  if (!BN_from_montgomery(out.get(), acc.get(), group.mont.get(), ctx)) ThrowOpenSsl("BN_from_montgomery");
  return out;
}

// value mod N (value >= 0).
BnPtr Reduce(const Group& group, const BIGNUM* value, BN_CTX* ctx) {
  BnPtr out = NewBn();
  if (!BN_nnmod(out.get(), value, group.n.get(), ctx)) ThrowOpenSsl("BN_nnmod");
  return out;
}

// x = H(Pad(salt) ‖ inner), flagged secret.
BnPtr PrivateX(std::string_view salt, std::string_view inner) {
  if (salt.size() > kMaxMagnitudeBytes) throw std::invalid_argument("SRP salt too long");
  std::string input = Pad(salt);
  input += inner;
  std::string digest = Sha256(input);
  BnPtr x = ToBn(digest, "x", /*secret=*/true);
  OPENSSL_cleanse(digest.data(), digest.size());
  return x;
}

// u = H(Pad(A) ‖ Pad(B)); nullptr if u == 0.
BnPtr ScramblingU(std::string_view A, std::string_view B) {
  BnPtr u = ToBn(Sha256(Pad(A) + Pad(B)), "u");
  if (BN_is_zero(u.get())) return nullptr;
  return u;
}

// K: the first 16 bytes of HKDF-SHA256 with salt Pad(u), input Pad(S) and info "Caldera Derived Key".
std::string DerivedKey(const BIGNUM* u, const BIGNUM* S) {
  std::string s_bytes = Pad(ToMagnitude(S));
  std::string prk = HmacSha256(Pad(ToMagnitude(u)), s_bytes);
  std::string key = HmacSha256(prk, kDerivedKeyInfo);
  key.resize(kKeyBytes);
  OPENSSL_cleanse(s_bytes.data(), s_bytes.size());
  OPENSSL_cleanse(prk.data(), prk.size());
  return key;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.empty() || hex.size() > kMaxHexDigits) return std::nullopt;
  std::string out((hex.size() + 1) / 2, '\0');
  // An odd-length string has an implicit leading '0' nibble.
  size_t nibble = hex.size() % 2;
  for (char c : hex) {
    const int v = HexValue(c);
    if (v < 0) return std::nullopt;
    out[nibble / 2] = static_cast<char>(static_cast<uint8_t>(out[nibble / 2]) | (v << (nibble % 2 ? 0 : 4)));
    ++nibble;
  }
  return std::string(StripLeadingZeros(out));
}

std::string ToHex(std::string_view magnitude) {
  std::string hex = HexEncode(StripLeadingZeros(magnitude));
  if (hex.empty()) return "0";
  if (hex.front() == '0') hex.erase(0, 1);
  return hex;
}

std::string Pad(std::string_view magnitude) {
  magnitude = StripLeadingZeros(magnitude);
  if (magnitude.empty() || static_cast<uint8_t>(magnitude.front()) & 0x80) {
    return std::string(1, '\0').append(magnitude);
  }
  return std::string(magnitude);
}

std::string PasswordInner(std::string_view pool_name, std::string_view username, std::string_view password) {
  std::string input;
  input.reserve(pool_name.size() + username.size() + 1 + password.size());
  input.append(pool_name).append(username).append(":").append(password);
  std::string inner = Sha256(input);
  OPENSSL_cleanse(input.data(), input.size());
  return inner;
}

std::string Verifier(std::string_view salt, std::string_view inner) {
  const Group& group = TheGroup();
  BN_CTX* ctx = ThreadCtx();
  BnPtr x = PrivateX(salt, inner);
  return ToMagnitude(GPowSecret(group, x.get(), ctx).get());
}

std::string GPow(std::string_view exponent) {
  const Group& group = TheGroup();
  BN_CTX* ctx = ThreadCtx();
  BnPtr e = ToBn(exponent, "exponent", /*secret=*/true);
  return ToMagnitude(GPowSecret(group, e.get(), ctx).get());
}

std::optional<std::string> ServerB(std::string_view v, std::string_view g_pow_b) {
  const Group& group = TheGroup();
  BN_CTX* ctx = ThreadCtx();
  BnPtr v_bn = ToBn(v, "v");
  BnPtr gb = ToBn(g_pow_b, "g^b");
  BnPtr kv = NewBn();
  BnPtr B = NewBn();
  if (!BN_mod_mul(kv.get(), group.k.get(), v_bn.get(), group.n.get(), ctx) ||
      !BN_mod_add(B.get(), kv.get(), gb.get(), group.n.get(), ctx)) {
    ThrowOpenSsl("SRP B arithmetic");
  }
  if (BN_is_zero(B.get())) return std::nullopt;
  return ToMagnitude(B.get());
}

bool ValidA(std::string_view A) {
  if (A.size() > kMaxMagnitudeBytes) return false;
  const Group& group = TheGroup();
  BN_CTX* ctx = ThreadCtx();
  return !BN_is_zero(Reduce(group, ToBn(A, "A").get(), ctx).get());
}

std::optional<std::string> ServerKey(std::string_view A, std::string_view B, std::string_view b,
                                     std::string_view v) {
  if (A.size() > kMaxMagnitudeBytes) return std::nullopt;
  const Group& group = TheGroup();
  BN_CTX* ctx = ThreadCtx();
  BnPtr a_mod_n = Reduce(group, ToBn(A, "A").get(), ctx);
  if (BN_is_zero(a_mod_n.get())) return std::nullopt;
  if (B.size() > kMaxMagnitudeBytes) throw std::invalid_argument("SRP B too long");
  BnPtr u = ScramblingU(A, B);
  if (!u) return std::nullopt;
  BnPtr b_bn = ToBn(b, "b", /*secret=*/true);
  BnPtr v_bn = Reduce(group, ToBn(v, "v").get(), ctx);
  // S = (A · v^u)^b mod N; u is public, so v^u needs no constant-time ladder.
  BnPtr base = NewBn();
  if (!BN_mod_exp_mont(base.get(), v_bn.get(), u.get(), group.n.get(), ctx, group.mont.get()) ||
      !BN_mod_mul(base.get(), a_mod_n.get(), base.get(), group.n.get(), ctx)) {
    ThrowOpenSsl("SRP server S arithmetic");
  }
  BnPtr S = ModExpSecret(group, base.get(), b_bn.get(), ctx);
  return DerivedKey(u.get(), S.get());
}

std::string Signature(std::string_view key, std::string_view pool_name, std::string_view user_id,
                      std::string_view secret_block, std::string_view timestamp) {
  std::string message;
  message.reserve(pool_name.size() + user_id.size() + secret_block.size() + timestamp.size());
  message.append(pool_name).append(user_id).append(secret_block).append(timestamp);
  return HmacSha256(key, message);
}

namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr int64_t kSecondsPerDay = 86400;
constexpr int kMinYear = 1970;
constexpr int kMaxYear = 9999;
constexpr size_t kMaxTimestampBytes = 64;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// The inverse of DaysFromCivil.
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

// 0 = Sunday; 1970-01-01 was a Thursday.
int WeekdayFromDays(int64_t days) { return static_cast<int>(((days % 7) + 7 + 4) % 7); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// `text` as a non-negative decimal number if it is all ASCII digits, its length is in
// [min_len, max_len] and max_len <= 9; else -1.
int Digits(std::string_view text, size_t min_len, size_t max_len) {
  if (text.size() < min_len || text.size() > max_len) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

template <size_t kSize>
int IndexOf(const std::array<std::string_view, kSize>& names, std::string_view name) {
  for (size_t i = 0; i < kSize; ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  if (text.size() > kMaxTimestampBytes) return std::nullopt;
  // Exactly six fields separated by single spaces.
  std::array<std::string_view, 6> fields;
  size_t count = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ') continue;
    if (i == start || count == fields.size()) return std::nullopt;
    fields[count++] = text.substr(start, i - start);
    start = i + 1;
  }
  if (count != fields.size()) return std::nullopt;

  const int weekday = IndexOf(kWeekdays, fields[0]);
  const int month = IndexOf(kMonths, fields[1]) + 1;
  const int day = Digits(fields[2], 1, 2);
  const std::string_view clock = fields[3];
  if (weekday < 0 || month < 1 || day < 1 || clock.size() != 8 || clock[2] != ':' || clock[5] != ':' ||
      fields[4] != "UTC") {
    return std::nullopt;
  }
  const int hour = Digits(clock.substr(0, 2), 2, 2);
  const int minute = Digits(clock.substr(3, 2), 2, 2);
  const int second = Digits(clock.substr(6, 2), 2, 2);
  const int year = Digits(fields[5], 4, 4);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || year < kMinYear ||
      year > kMaxYear || day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  if (WeekdayFromDays(days) != weekday) return std::nullopt;
  return days * kSecondsPerDay + hour * 3600 + minute * 60 + second;
}

std::string FormatTimestamp(int64_t epoch_seconds) {
  static const int64_t kMaxEpoch = DaysFromCivil(kMaxYear + 1, 1, 1) * kSecondsPerDay - 1;
  if (epoch_seconds < 0 || epoch_seconds > kMaxEpoch) {
    throw std::out_of_range("SRP timestamp outside the years 1970..9999");
  }
  const int64_t days = epoch_seconds / kSecondsPerDay;
  const int64_t second_of_day = epoch_seconds % kSecondsPerDay;
  const Civil date = CivilFromDays(days);
  char buf[48];
  const int len = std::snprintf(buf, sizeof buf, "%s %s %d %02d:%02d:%02d UTC %04d",
                                kWeekdays[WeekdayFromDays(days)].data(), kMonths[date.month - 1].data(),
                                date.day, static_cast<int>(second_of_day / 3600),
                                static_cast<int>(second_of_day / 60 % 60),
                                static_cast<int>(second_of_day % 60), static_cast<int>(date.year));
  return std::string(buf, static_cast<size_t>(len));
}

namespace client {

std::string A(std::string_view a) { return GPow(a); }

std::optional<std::string> Key(std::string_view a, std::string_view B, std::string_view salt,
                               std::string_view inner) {
  if (B.size() > kMaxMagnitudeBytes) return std::nullopt;
  const Group& group = TheGroup();
  BN_CTX* ctx = ThreadCtx();
  BnPtr b_mod_n = Reduce(group, ToBn(B, "B").get(), ctx);
  if (BN_is_zero(b_mod_n.get())) return std::nullopt;
  BnPtr a_bn = ToBn(a, "a", /*secret=*/true);
  BnPtr A_bn = ModExpSecret(group, group.g.get(), a_bn.get(), ctx);
  BnPtr u = ScramblingU(ToMagnitude(A_bn.get()), B);
  if (!u) return std::nullopt;
  BnPtr x = PrivateX(salt, inner);
  BnPtr gx = ModExpSecret(group, group.g.get(), x.get(), ctx);
  // S = (B − k·g^x)^(a + u·x) mod N.
  BnPtr base = NewBn();
  BnPtr exponent = NewBn();
  BN_set_flags(exponent.get(), BN_FLG_CONSTTIME);
  if (!BN_mod_mul(base.get(), group.k.get(), gx.get(), group.n.get(), ctx) ||
      !BN_mod_sub(base.get(), b_mod_n.get(), base.get(), group.n.get(), ctx) ||
      !BN_mul(exponent.get(), u.get(), x.get(), ctx) ||
      !BN_add(exponent.get(), exponent.get(), a_bn.get())) {
    ThrowOpenSsl("SRP client S arithmetic");
  }
  BnPtr S = ModExpSecret(group, base.get(), exponent.get(), ctx);
  return DerivedKey(u.get(), S.get());
}

}  // namespace client

}  // namespace cogemu::crypto::srp
