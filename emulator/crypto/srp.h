// Cognito's SRP-6a (USER_SRP_AUTH, DEVICE_SRP_AUTH): the server's arithmetic, the client's for tests.
//
// The group is RFC 3526's 3072-bit MODP prime N with g = 2 and H = SHA-256, as in
// amazon-cognito-identity-js. Formats, and where each one is encoded:
//  - A "magnitude" is how integers cross this API: minimal big-endian bytes, no leading zero bytes,
//    zero is the empty string. Magnitudes given to the API may carry leading zero bytes (ignored).
//  - Wire hex (SRP_A, SRP_B, SALT in the InitiateAuth / RespondToAuthChallenge JSON) is lowercase,
//    without leading zeros and possibly of odd length: FromHex / ToHex convert it.
//  - Every hash input built from an integer uses Pad (Java's BigInteger.toByteArray()): k, x, u and
//    both HMAC inputs of the key derivation. Pad is applied inside this file; callers never pad.
//  - PASSWORD_CLAIM_SIGNATURE is base64 on the wire (the caller's job); Signature returns raw bytes.
//  - TIMESTAMP is `EEE MMM d HH:mm:ss 'UTC' yyyy` (ParseTimestamp / FormatTimestamp).
// Sizes: magnitudes are at most kMaxMagnitudeBytes long (what FromHex can produce); a longer A (or B
// for client::Key) is invalid (false / nullopt), any other longer argument throws
// std::invalid_argument. Every function is thread-safe; OpenSSL failures throw std::runtime_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cogemu::crypto::srp {

// 2048 hex digits: FromHex's limit, and the largest magnitude any other function accepts.
inline constexpr size_t kMaxMagnitudeBytes = 1024;
// N: RFC 3526's 3072-bit MODP prime (group 15), hex; g = 2.
inline constexpr char kPrimeHex[] =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
// The size of N (and of every value reduced mod N) in bytes.
inline constexpr size_t kModulusBytes = 384;
// The derived key K.
inline constexpr size_t kKeyBytes = 16;

// Wire hex (either case, odd length allowed, no "0x", non-empty, at most 2048 digits) -> magnitude;
// nullopt on anything else.
std::optional<std::string> FromHex(std::string_view hex);
// Magnitude -> wire hex: lowercase, leading zeros stripped, "0" for zero.
std::string ToHex(std::string_view magnitude);
// Java's BigInteger.toByteArray() of a non-negative integer: the minimal bytes plus a leading 0x00
// when the top bit of the first one is set; zero is the single byte 0x00.
std::string Pad(std::string_view magnitude);

// H(UTF-8(pool_name ‖ username ‖ ":" ‖ password)), 32 raw bytes: the only thing x needs from the
// password. For a device: pool_name = DeviceGroupKey, username = DeviceKey, password = the device
// password. pool_name is the part of the user pool ID after the '_'.
std::string PasswordInner(std::string_view pool_name, std::string_view username, std::string_view password);
// The verifier v = g^x mod N with x = H(Pad(salt) ‖ inner); `salt` is a magnitude.
std::string Verifier(std::string_view salt, std::string_view inner);

// g^exponent mod N (constant time in the exponent): the slow, user-independent half of B, which a
// server can compute ahead of time from a random 32-byte b.
std::string GPow(std::string_view exponent);
// B = (k·v + g^b) mod N from the verifier and GPow(b); nullopt if B ≡ 0 (draw another b).
std::optional<std::string> ServerB(std::string_view v, std::string_view g_pow_b);

// True iff the client's A is not ≡ 0 (mod N) (A may be >= N) and not longer than kMaxMagnitudeBytes.
bool ValidA(std::string_view A);
// The server's 16-byte key K: u = H(Pad(A) ‖ Pad(B)) (A as given, not reduced),
// S = (A · v^u)^b mod N, K = HKDF-SHA256(salt = Pad(u), ikm = Pad(S), info = "Caldera Derived Key")
// truncated to 16 bytes. nullopt if !ValidA(A) or u == 0.
std::optional<std::string> ServerKey(std::string_view A, std::string_view B, std::string_view b,
                                     std::string_view v);

// PASSWORD_CLAIM_SIGNATURE, raw 32 bytes:
// HMAC-SHA256(key, UTF-8(pool_name) ‖ UTF-8(user_id) ‖ secret_block ‖ UTF-8(timestamp)), where
// secret_block is the decoded SECRET_BLOCK and user_id is USER_ID_FOR_SRP (a device: pool_name =
// DeviceGroupKey, user_id = DeviceKey).
std::string Signature(std::string_view key, std::string_view pool_name, std::string_view user_id,
                      std::string_view secret_block, std::string_view timestamp);

// TIMESTAMP -> epoch seconds (UTC). Accepts exactly `EEE MMM d HH:mm:ss UTC yyyy` with English day
// and month abbreviations, single spaces, a day of month with or without a leading zero, and a
// real date of the years 1970..9999 whose weekday matches; nullopt for anything else (and at once
// for more than 64 bytes).
std::optional<int64_t> ParseTimestamp(std::string_view text);
// The clients' form, e.g. "Tue Mar 5 09:07:01 UTC 2024" (day of month not zero-padded). Throws
// std::out_of_range outside the years 1970..9999.
std::string FormatTimestamp(int64_t epoch_seconds);

// What amazon-cognito-identity-js computes; for tests and the benchmark.
namespace client {

// A = g^a mod N.
std::string A(std::string_view a);
// The client's K = HKDF(Pad(u), Pad((B − k·g^x)^(a + u·x) mod N)); nullopt if B ≡ 0 (mod N),
// B is longer than kMaxMagnitudeBytes, or u == 0.
std::optional<std::string> Key(std::string_view a, std::string_view B, std::string_view salt,
                               std::string_view inner);

}  // namespace client

}  // namespace cogemu::crypto::srp
