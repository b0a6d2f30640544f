#include "emulator/crypto/srp.h"

#include <doctest/doctest.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "emulator/crypto/hash.h"

namespace cogemu::crypto::srp {
namespace {

// A vector checked against amazon-cognito-identity-js (pool "TestPool1", user "alice", password
// "Passw0rd!"); a and b are 32 hex digits repeated 4 times.
constexpr char kPoolName[] = "TestPool1";
constexpr char kUsername[] = "alice";
constexpr char kPassword[] = "Passw0rd!";
constexpr char kAHex[] =
    "303adf81e2c6f5f2afb191edc2fc87c39697100712d3d14729197172fc4907ce"
    "303adf81e2c6f5f2afb191edc2fc87c39697100712d3d14729197172fc4907ce"
    "303adf81e2c6f5f2afb191edc2fc87c39697100712d3d14729197172fc4907ce"
    "303adf81e2c6f5f2afb191edc2fc87c39697100712d3d14729197172fc4907ce";
constexpr char kBHex[] =
    "102cb92f1ae96c344f738c8ca86dee7c706e201f946bd254bd2d922aa754b9a5"
    "102cb92f1ae96c344f738c8ca86dee7c706e201f946bd254bd2d922aa754b9a5"
    "102cb92f1ae96c344f738c8ca86dee7c706e201f946bd254bd2d922aa754b9a5"
    "102cb92f1ae96c344f738c8ca86dee7c706e201f946bd254bd2d922aa754b9a5";
constexpr char kSaltHex[] = "9f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr char kSecretBlockB64[] =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";
constexpr char kTimestamp[] = "Tue Mar 5 09:07:01 UTC 2024";
constexpr char kKHex[] = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";
constexpr char kXHex[] = "b1bf22f59388979b2a9d01e250a28aec2cf01352937cc66804b8eae6a7920179";
constexpr char kVHex[] =
    "941544311ad32f8b27ce518ac37232bf64ccc98082bb2f69c4bce170ce39bd3ec1891a9cc28788437ac215d46d4e3919"
    "c84c1586d12478074702b6a18a02df08b39225e7f826dc600e3ff284ace4b76e370318ec53fbc2ef83ba2f9b63f8eb8e"
    "1b228d78204e45c7dc5afb396ffe43276a765b2474faaa337b58f59b02f95e842c7b9b556de701e995fc2341399c62a2"
    "b2b14ee3a3c203659a640ea219e583b6b462822c70ce7f6c9ad47fd1a84b432957782a6030680640a8ca61aa60cf4086"
    "e8085ff402977cb12dfcb4a6c608c625a811d480695ec1f747754038f935571bb03c1df1d25d8ced2a05d7bfab81faa7"
    "ad62f6a2e47332eb6113ec4ba775a5cf48b24373fbe07adecc0c7dce0833eb8d571e2a16a57f2c6a0db917e810177f23"
    "e7dc415c27e0700dd9d980607759fbd0a9e5d4c60d1f6ca81f24b02c22f82ff279efa0a891cd840da1eeefccba88cb5f"
    "390ace32ff59428cc5ca1d9db1261a2cdcbff9285dcc861f129e2be7e61d038c70acb93e88449b220ce602041e3671fe";
constexpr char kABigHex[] =
    "edf30b98890f072dc778230ea9930d446f6c89e44eb2edec4d197263f47a4065e70c5cdd2e486867aa53fdfb5b800866"
    "afa7702a2095d181386a5e74de36b0099243defb88d1fcd6aeca1a3965c0a1a8b82fe12dbb9fed96deda93d58d0fe9d6"
    "4738d74147e0139510fc5e63dfb073b27470c64c0560fe54fb436412bfdb87f22d73f48af6455a876b6fd08b2d48373d"
    "4ebb35f0b60174f749382edced1c5ce88d379e8dfa8cbc8998cd443fd342b3fe558102476c8eecaf69655738bbf1be74"
    "d44e1d30233d682822d0056b926a8695df413d2e6a0c0b6b6e8369821f8e32342681b5a89547bb4c32bea832972b06ed"
    "a4f333ded872a601e1f5925297a3cc9061040498aafad5d6dd89383cf2ce007894ccdbfad42f1d6e15cd9efc4f7fbb3b"
    "495aa962601c34248e93dd50e02e8562b978672135a2e392118bd3e4f1145cf95386f2bf81e5fc53ae52085e8e0819e9"
    "cb404245d864d2cdaba0c18feca30b75eff8ae7422a2df28f96fef5992b1b29deac7d8c9348854b7f216b64c124241d3";
constexpr char kBBigHex[] =
    "290651c0c84299c3c24215591059e432fb2212307f8e826829fd4a47ebcd1e4d05f5d2513515c1e1dab826f15cb08208"
    "dd185faa7ea33b78de30310eb4421087b74f7ce941ee88203a1ec1b3ec99f09876636c83153ec4ac824110bbfa08f2f0"
    "27ade5ba77b5c54ad50408556e06d9f58f49be734431bdd98182203c1350bcb9bdcb40213a935aee23c392fabf34bb2f"
    "9523ce46defd6540bd961eb78e2757ee89efc76fd7743c5a4b7acf4aa487598c5da10e35dd73805c71293ea7b72469f9"
    "d9e027160e76e97dd354761d427092ca18988233fead5b9b268d1b8a17b2389b32928eac660d26c7fff164e68849e0fb"
    "16c5d886a3bab0906b27eab6ae37405fdf92bd7f847289794dfa0d0e5c019d2ff4d92aba0bd24110df3fc20328282142"
    "3727f6f5eb9c0b08758f8a2f7f360247c26f3f5b1d4fd028555c573db857ace105bb448fc04f53bb03a42ae957129eaa"
    "ecab5a52c9a20886b79549b34a3b2e15d4bb72ba3813a07f23c167ae57cf28ede42d78767c8157750499bdebc4f20419";
constexpr char kUHex[] = "d24ec4949e881e28a204468f790883a1842bdeea0f986fe1c0362ece6b792e20";
constexpr char kKeyHex[] = "d1d06ae93b6b22e9d5059a0716f1697d";
constexpr char kSignatureB64[] = "fa2N51MDXvMjwlb142XwMMTFyQsyXgcQhpg+om2ZaKA=";

// N comes from srp.h (kPrimeHex); the vector below (k, v, A, B, S) pins it.
constexpr const char* kNHex = kPrimeHex;

std::string Hex(std::string_view hex) {
  const auto bytes = FromHex(hex);
  REQUIRE(bytes.has_value());
  return *bytes;
}

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

// Magnitude arithmetic for building test inputs (schoolbook, big-endian bytes).
std::string Add(std::string_view x, std::string_view y) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(x.size(), y.size()) || carry; ++i) {
    const int xv = i < x.size() ? static_cast<uint8_t>(x[x.size() - 1 - i]) : 0;
    const int yv = i < y.size() ? static_cast<uint8_t>(y[y.size() - 1 - i]) : 0;
    const int sum = xv + yv + carry;
    out.insert(out.begin(), static_cast<char>(sum & 0xff));
    carry = sum >> 8;
  }
  return out;
}

// x - y for x >= y.
std::string Sub(std::string_view x, std::string_view y) {
  std::string out(x);
  int borrow = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const int yv = i < y.size() ? static_cast<uint8_t>(y[y.size() - 1 - i]) : 0;
    int diff = static_cast<uint8_t>(x[x.size() - 1 - i]) - yv - borrow;
    borrow = diff < 0;
    if (diff < 0) diff += 256;
    out[x.size() - 1 - i] = static_cast<char>(diff);
  }
  REQUIRE(borrow == 0);
  return std::string(FromHex(ToHex(out)).value());
}

TEST_CASE("crypto srp: group constants k and Pad(N)") {
  const std::string n = Hex(kNHex);
  CHECK(n.size() == kModulusBytes);
  const std::string padded_n = Pad(n);
  REQUIRE(padded_n.size() == 385);
  CHECK(padded_n.substr(0, 3) == Bytes({0x00, 0xff, 0xff}));
  CHECK(Pad("\x02") == "\x02");
  CHECK(HexEncode(Sha256(padded_n + "\x02")) == kKHex);
  // With v = 1 and g^b = 0, B = k·1 + 0 = k: the k the implementation uses.
  const auto k = ServerB("\x01", "");
  REQUIRE(k.has_value());
  CHECK(ToHex(*k) == kKHex);
}

TEST_CASE("crypto srp: Cognito vector, verifier, A and B") {
  const std::string inner = PasswordInner(kPoolName, kUsername, kPassword);
  CHECK(inner == Sha256("TestPool1alice:Passw0rd!"));
  const std::string salt = Hex(kSaltHex);
  CHECK(HexEncode(Sha256(Pad(salt) + inner)) == kXHex);  // x; the salt's top bit is set.
  const std::string v = Verifier(salt, inner);
  CHECK(ToHex(v) == kVHex);
  CHECK(ToHex(client::A(Hex(kAHex))) == kABigHex);
  const auto B = ServerB(v, GPow(Hex(kBHex)));
  REQUIRE(B.has_value());
  CHECK(ToHex(*B) == kBBigHex);
  CHECK(HexEncode(Sha256(Pad(Hex(kABigHex)) + Pad(Hex(kBBigHex)))) == kUHex);
}

TEST_CASE("crypto srp: Cognito vector, keys and signature") {
  const std::string inner = PasswordInner(kPoolName, kUsername, kPassword);
  const std::string salt = Hex(kSaltHex);
  const std::string v = Verifier(salt, inner);
  const std::string a = Hex(kAHex);
  const std::string b = Hex(kBHex);
  const std::string A = client::A(a);
  const std::string B = *ServerB(v, GPow(b));
  CHECK(ValidA(A));

  const auto server_key = ServerKey(A, B, b, v);
  const auto client_key = client::Key(a, B, salt, inner);
  REQUIRE(server_key.has_value());
  REQUIRE(client_key.has_value());
  CHECK(HexEncode(*server_key) == kKeyHex);
  CHECK(HexEncode(*client_key) == kKeyHex);
  // A and B as parsed from wire hex give the same key.
  CHECK(ServerKey(Hex(ToHex(A)), Hex(ToHex(B)), b, v) == server_key);

  const std::string secret_block = *Base64Decode(kSecretBlockB64);
  const std::string signature = Signature(*server_key, kPoolName, kUsername, secret_block, kTimestamp);
  CHECK(signature.size() == 32);
  CHECK(Base64Encode(signature) == kSignatureB64);
  CHECK(Signature(*server_key, kPoolName, kUsername, secret_block, "Tue Mar 5 09:07:02 UTC 2024") !=
        signature);
  CHECK(Signature(*server_key, kPoolName, "bob", secret_block, kTimestamp) != signature);

  // A wrong password: a different client key, hence a signature the server rejects.
  const auto wrong = client::Key(a, B, salt, PasswordInner(kPoolName, kUsername, "Passw0rd?"));
  REQUIRE(wrong.has_value());
  CHECK(wrong->size() == kKeyBytes);
  CHECK(*wrong != *server_key);
  CHECK(Signature(*wrong, kPoolName, kUsername, secret_block, kTimestamp) != signature);
  // So does another salt or user.
  CHECK(*client::Key(a, B, Hex("01"), inner) != *server_key);
  CHECK(*client::Key(a, B, salt, PasswordInner(kPoolName, "bob", kPassword)) != *server_key);
}

TEST_CASE("crypto srp: random ephemerals agree") {
  const std::string inner = PasswordInner("eu-west-1_abc", "7e1b0a2c-user", "correct horse");
  const std::string salt = Hex("00ab");  // A leading-zero magnitude is the same salt as "ab".
  const std::string v = Verifier(salt, inner);
  CHECK(v == Verifier("\xab", inner));
  for (int i = 0; i < 4; ++i) {
    std::string a(32, '\0'), b(32, '\0');
    SystemRandomBytes(reinterpret_cast<uint8_t*>(a.data()), a.size());
    SystemRandomBytes(reinterpret_cast<uint8_t*>(b.data()), b.size());
    const auto B = ServerB(v, GPow(b));
    REQUIRE(B.has_value());
    const auto server = ServerKey(client::A(a), *B, b, v);
    REQUIRE(server.has_value());
    CHECK(server->size() == kKeyBytes);
    CHECK(client::Key(a, *B, salt, inner) == server);
  }
}

TEST_CASE("crypto srp: concurrent handshakes share the group safely") {
  const std::string salt = Hex(kSaltHex);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string inner = PasswordInner(kPoolName, "user" + std::to_string(t), kPassword);
      const std::string v = Verifier(salt, inner);
      for (int i = 0; i < 5; ++i) {
        const std::string a(32, static_cast<char>(0x11 * (t + 1) + i));
        const std::string b(32, static_cast<char>(0x07 * (t + 1) + 3 * i + 1));
        const auto B = ServerB(v, GPow(b));
        if (!B || ServerKey(client::A(a), *B, b, v) != client::Key(a, *B, salt, inner)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures.load() == 0);
}

TEST_CASE("crypto srp: invalid A and B") {
  const std::string n = Hex(kNHex);
  const std::string two_n = Add(n, n);
  const std::string n_plus_1 = Add(n, "\x01");
  CHECK(two_n.size() == kModulusBytes + 1);
  CHECK(ToHex(n_plus_1).substr(752) == "0000000000000000");
  CHECK_FALSE(ValidA(""));
  CHECK_FALSE(ValidA(std::string(5, '\0')));
  CHECK_FALSE(ValidA(n));
  CHECK_FALSE(ValidA(std::string(3, '\0') + n));
  CHECK_FALSE(ValidA(two_n));
  CHECK_FALSE(ValidA(Hex(ToHex(n) + "000")));  // 4096·N.
  CHECK(ValidA(n_plus_1));
  CHECK(ValidA("\x01"));
  CHECK(ValidA(Sub(n, "\x01")));
  CHECK(ValidA(std::string(kMaxMagnitudeBytes, '\xff')));
  CHECK_FALSE(ValidA(std::string(kMaxMagnitudeBytes + 1, '\x01')));

  const std::string inner = PasswordInner(kPoolName, kUsername, kPassword);
  const std::string salt = Hex(kSaltHex);
  const std::string v = Verifier(salt, inner);
  const std::string b = Hex(kBHex);
  const std::string B = *ServerB(v, GPow(b));
  CHECK_FALSE(ServerKey("", B, b, v).has_value());
  CHECK_FALSE(ServerKey(n, B, b, v).has_value());
  CHECK_FALSE(ServerKey(two_n, B, b, v).has_value());
  CHECK_FALSE(ServerKey(std::string(kMaxMagnitudeBytes + 1, '\x01'), B, b, v).has_value());
  // A + N is another representative of A: accepted, but u hashes A as sent, so the key differs.
  const std::string a = Hex(kAHex);
  const std::string A = client::A(a);
  const auto shifted = ServerKey(Add(A, n), B, b, v);
  REQUIRE(shifted.has_value());
  CHECK(*shifted != *ServerKey(A, B, b, v));

  CHECK_FALSE(client::Key(a, "", salt, inner).has_value());
  CHECK_FALSE(client::Key(a, n, salt, inner).has_value());
  CHECK_FALSE(client::Key(a, two_n, salt, inner).has_value());
  CHECK_FALSE(client::Key(a, std::string(kMaxMagnitudeBytes + 1, '\x01'), salt, inner).has_value());

  // B ≡ 0 only when g^b ≡ −k·v (mod N): with v = 1 that is g^b = N − k.
  const std::string k = Sha256(Pad(n) + "\x02");
  CHECK_FALSE(ServerB("\x01", Sub(n, k)).has_value());
  CHECK(ServerB("\x01", Sub(n, Add(k, "\x01"))).has_value());
  CHECK(ServerB(v, GPow(b)).has_value());

  CHECK_THROWS_AS(GPow(std::string(kMaxMagnitudeBytes + 1, '\x01')), std::invalid_argument);
  CHECK_THROWS_AS(Verifier(std::string(kMaxMagnitudeBytes + 1, '\x01'), inner), std::invalid_argument);
  CHECK_THROWS_AS(ServerB(std::string(kMaxMagnitudeBytes + 1, '\x01'), ""), std::invalid_argument);
}

TEST_CASE("crypto srp: Pad") {
  CHECK(Pad("") == Bytes({0x00}));
  CHECK(Pad(Bytes({0x00})) == Bytes({0x00}));
  CHECK(Pad(Bytes({0x00, 0x00})) == Bytes({0x00}));
  CHECK(Pad(Bytes({0x01})) == Bytes({0x01}));
  CHECK(Pad(Bytes({0x7f})) == Bytes({0x7f}));
  CHECK(Pad(Bytes({0x80})) == Bytes({0x00, 0x80}));
  CHECK(Pad(Bytes({0xff, 0x00})) == Bytes({0x00, 0xff, 0x00}));
  CHECK(Pad(Bytes({0x7f, 0xff})) == Bytes({0x7f, 0xff}));
  // Leading zero bytes of a magnitude are dropped before padding.
  CHECK(Pad(Bytes({0x00, 0x00, 0x7f})) == Bytes({0x7f}));
  CHECK(Pad(Bytes({0x00, 0x00, 0x80, 0x01})) == Bytes({0x00, 0x80, 0x01}));
}

TEST_CASE("crypto srp: FromHex and ToHex") {
  CHECK(FromHex("0") == std::string());
  CHECK(FromHex("0000") == std::string());
  CHECK(FromHex("1") == Bytes({0x01}));
  CHECK(FromHex("abc") == Bytes({0x0a, 0xbc}));
  CHECK(FromHex("ABC") == Bytes({0x0a, 0xbc}));
  CHECK(FromHex("00aBc") == Bytes({0x0a, 0xbc}));
  CHECK(FromHex("ff00") == Bytes({0xff, 0x00}));
  CHECK(FromHex("0123456789abcdefABCDEF") ==
        Bytes({0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef}));
  CHECK_FALSE(FromHex("").has_value());
  CHECK_FALSE(FromHex("0x12").has_value());
  CHECK_FALSE(FromHex("12g4").has_value());
  CHECK_FALSE(FromHex("12 34").has_value());
  CHECK_FALSE(FromHex("-12").has_value());
  CHECK_FALSE(FromHex(std::string_view("12\0" "4", 4)).has_value());
  CHECK(FromHex(std::string(2048, 'f')).value().size() == kMaxMagnitudeBytes);
  CHECK_FALSE(FromHex(std::string(2049, 'f')).has_value());
  CHECK_FALSE(FromHex(std::string(1 << 20, '0')).has_value());

  CHECK(ToHex("") == "0");
  CHECK(ToHex(Bytes({0x00, 0x00})) == "0");
  CHECK(ToHex(Bytes({0x0a, 0xbc})) == "abc");
  CHECK(ToHex(Bytes({0x00, 0x0a, 0xbc})) == "abc");
  CHECK(ToHex(Bytes({0xff, 0x00})) == "ff00");
  CHECK(ToHex(Bytes({0x01, 0x00, 0x00})) == "10000");
  for (const char* hex : {"1", "abc", "10000", "ffffffff", kKHex, kVHex, kABigHex, kBBigHex}) {
    CHECK(ToHex(Hex(hex)) == hex);
  }
  CHECK(ToHex(Hex(kNHex)) == [] {
    std::string lower = kNHex;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  }());
}

TEST_CASE("crypto srp: ParseTimestamp") {
  CHECK(ParseTimestamp("Tue Mar 5 09:07:01 UTC 2024") == 1709629621);
  CHECK(ParseTimestamp("Tue Mar 05 09:07:01 UTC 2024") == 1709629621);
  CHECK(ParseTimestamp("Sun Nov 22 07:56:56 UTC 2026") == 1795334216);
  CHECK(ParseTimestamp("Thu Jan 1 00:00:00 UTC 1970") == 0);
  CHECK(ParseTimestamp("Fri Dec 31 23:59:59 UTC 9999") == 253402300799);
  // Leap days.
  CHECK(ParseTimestamp("Thu Feb 29 12:00:00 UTC 2024") == 1709208000);
  CHECK(ParseTimestamp("Tue Feb 29 23:59:59 UTC 2000") == 951868799);
  CHECK_FALSE(ParseTimestamp("Sat Feb 29 00:00:00 UTC 2100").has_value());  // Not a leap year.
  CHECK_FALSE(ParseTimestamp("Sun Feb 29 00:00:00 UTC 2025").has_value());
  CHECK_FALSE(ParseTimestamp("Fri Feb 30 00:00:00 UTC 2024").has_value());
  CHECK_FALSE(ParseTimestamp("Wed Apr 31 00:00:00 UTC 2024").has_value());
  CHECK_FALSE(ParseTimestamp("Mon Mar 0 09:07:01 UTC 2024").has_value());
  CHECK_FALSE(ParseTimestamp("Mon Mar 00 09:07:01 UTC 2024").has_value());
  CHECK_FALSE(ParseTimestamp("Mon Mar 32 09:07:01 UTC 2024").has_value());

  // Every month: day m+1 of month m of 2025 at m:2m:3m.
  const struct {
    const char* text;
    int64_t epoch;
  } months[] = {
      {"Thu Jan 2 01:02:03 UTC 2025", 1735779723},  {"Mon Feb 3 02:04:06 UTC 2025", 1738548246},
      {"Tue Mar 4 03:06:09 UTC 2025", 1741057569},  {"Sat Apr 5 04:08:12 UTC 2025", 1743826092},
      {"Tue May 6 05:10:15 UTC 2025", 1746508215},  {"Sat Jun 7 06:12:18 UTC 2025", 1749276738},
      {"Tue Jul 8 07:14:21 UTC 2025", 1751958861},  {"Sat Aug 9 08:16:24 UTC 2025", 1754727384},
      {"Wed Sep 10 09:18:27 UTC 2025", 1757495907}, {"Sat Oct 11 10:20:30 UTC 2025", 1760178030},
      {"Wed Nov 12 11:22:33 UTC 2025", 1762946553}, {"Sat Dec 13 12:24:36 UTC 2025", 1765628676},
  };
  for (const auto& month : months) {
    CAPTURE(month.text);
    CHECK(ParseTimestamp(month.text) == month.epoch);
    CHECK(FormatTimestamp(month.epoch) == month.text);
  }

  for (const char* bad : {
           "",
           "Wed Mar 5 09:07:01 UTC 2024",     // Wrong weekday.
           "Tue Mar 5 09:07:01 GMT 2024",     // Not UTC.
           "Tue Mar 5 09:07:01 utc 2024",
           "Tue Mar 5 09:07:01 2024",
           "Tue Mar  5 09:07:01 UTC 2024",    // asctime's double space.
           " Tue Mar 5 09:07:01 UTC 2024",
           "Tue Mar 5 09:07:01 UTC 2024 ",
           "Tue Mar 5 09:07:01 UTC 2024 x",
           "Tue  Mar 5 09:07:01 UTC 2024",
           "Tue\tMar 5 09:07:01 UTC 2024",
           "tue Mar 5 09:07:01 UTC 2024",
           "Tue MAR 5 09:07:01 UTC 2024",
           "Tuesday Mar 5 09:07:01 UTC 2024",
           "Tue March 5 09:07:01 UTC 2024",
           "Tue Mar 005 09:07:01 UTC 2024",
           "Tue Mar +5 09:07:01 UTC 2024",
           "Tue Mar 5 9:07:01 UTC 2024",
           "Tue Mar 5 09:7:01 UTC 2024",
           "Tue Mar 5 09:07:1 UTC 2024",
           "Tue Mar 5 09-07-01 UTC 2024",
           "Tue Mar 5 09:07:01.000 UTC 2024",
           "Tue Mar 5 24:00:00 UTC 2024",
           "Tue Mar 5 23:60:00 UTC 2024",
           "Tue Mar 5 23:59:60 UTC 2024",
           "Tue Mar 5 09:07:01 UTC 24",
           "Tue Mar 5 09:07:01 UTC 02024",
           "Wed Dec 31 23:59:59 UTC 1969",    // Before the supported range.
           "Mon Jan 1 00:00:00 UTC 10000",
           "2024-03-05T09:07:01Z",
           "garbage",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(ParseTimestamp(bad).has_value());
  }
  CHECK_FALSE(ParseTimestamp(std::string_view("Tue Mar 5 09:07:01 UTC 2024\0", 28)).has_value());
  CHECK_FALSE(ParseTimestamp(std::string(65, 'x')).has_value());
  CHECK_FALSE(ParseTimestamp(std::string(1 << 20, ' ')).has_value());
  CHECK_FALSE(ParseTimestamp(std::string(40, ' ') + "Tue Mar 5 09:07:01 UTC 2024").has_value());
}

TEST_CASE("crypto srp: FormatTimestamp") {
  CHECK(FormatTimestamp(1709629621) == "Tue Mar 5 09:07:01 UTC 2024");
  CHECK(FormatTimestamp(1795334216) == "Sun Nov 22 07:56:56 UTC 2026");
  CHECK(FormatTimestamp(0) == "Thu Jan 1 00:00:00 UTC 1970");
  CHECK(FormatTimestamp(951782400) == "Tue Feb 29 00:00:00 UTC 2000");
  CHECK(FormatTimestamp(253402300799) == "Fri Dec 31 23:59:59 UTC 9999");
  CHECK_THROWS_AS(FormatTimestamp(-1), std::out_of_range);
  CHECK_THROWS_AS(FormatTimestamp(253402300800), std::out_of_range);
  // Round trips, including single-digit days and every weekday, against the C library's calendar.
  for (int64_t t = 0; t < 253402300800; t = t * 3 + 86400 * 7 + 3607) {
    CAPTURE(t);
    const std::string text = FormatTimestamp(t);
    CHECK(ParseTimestamp(text) == t);
    const time_t tt = static_cast<time_t>(t);
    tm parts{};
    REQUIRE(gmtime_r(&tt, &parts) != nullptr);
    char expected[64];
    strftime(expected, sizeof expected, "%a %b %e %H:%M:%S UTC %Y", &parts);
    std::string want = expected;
    if (want[8] == ' ') want.erase(8, 1);  // %e space-pads the day; the clients don't.
    CHECK(text == want);
  }
  for (int64_t day = 0; day < 40; ++day) {
    const int64_t t = 1709251200 + day * 86400 + 3723;  // 2024-03-01 01:02:03 onwards.
    CHECK(ParseTimestamp(FormatTimestamp(t)) == t);
  }
}

TEST_CASE("crypto srp: timings (informational)") {
  using Clock = std::chrono::steady_clock;
  const std::string inner = PasswordInner(kPoolName, kUsername, kPassword);
  const std::string salt = Hex(kSaltHex);
  const std::string v = Verifier(salt, inner);
  const std::string b = Hex(kBHex).substr(0, 32);
  const std::string a = Hex(kAHex).substr(0, 32);
  const std::string A = client::A(a);
  const std::string B = *ServerB(v, GPow(b));
  constexpr int kRounds = 20;
  auto time_ms = [&](auto&& fn) {
    const auto start = Clock::now();
    for (int i = 0; i < kRounds; ++i) CHECK_FALSE(fn().empty());
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / kRounds;
  };
  const double verifier = time_ms([&] { return Verifier(salt, inner); });
  const double g_pow = time_ms([&] { return GPow(b); });
  const double server_b = time_ms([&] { return *ServerB(v, B); });
  const double server_key = time_ms([&] { return *ServerKey(A, B, b, v); });
  const double client_key = time_ms([&] { return *client::Key(a, B, salt, inner); });
  MESSAGE("SRP ms/call: Verifier " << verifier << ", GPow(32-byte b) " << g_pow << ", ServerB " << server_b
                                  << ", ServerKey " << server_key << ", client::Key " << client_key);
}

}  // namespace
}  // namespace cogemu::crypto::srp
