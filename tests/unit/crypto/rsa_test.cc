#include "emulator/crypto/rsa.h"

#include <doctest/doctest.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "emulator/crypto/hash.h"
#include "emulator/crypto/key_reservoir.h"
#include "emulator/random.h"

namespace cogemu::crypto {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds used by the calling thread (wall time is misleading on a loaded machine, and
// `openssl speed` also reports CPU time unless given -elapsed).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One OpenSSL-generated key shared by the tests below (generation is slow).
std::shared_ptr<const RsaKey> SharedKey() {
  static const std::shared_ptr<const RsaKey> key = GenerateRsaKey();
  return key;
}

TEST_CASE("crypto rsa: generated key round-trips through PEM, jwk shape, sign and verify") {
  const auto key = SharedKey();
  REQUIRE(key != nullptr);
  CHECK(key->private_pem().rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);

  const auto parsed = RsaKey::FromPem(key->private_pem());
  CHECK(parsed->private_pem() == key->private_pem());
  CHECK(parsed->kid() == key->kid());
  CHECK(parsed->jwk() == key->jwk());

  CHECK(key->kid().size() == 44);
  CHECK(key->kid().back() == '=');
  CHECK(Base64Decode(key->kid())->size() == 32);

  const nlohmann::json& jwk = key->jwk();
  std::vector<std::string> names;
  for (const auto& [name, value] : jwk.items()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"alg", "e", "kid", "kty", "n", "use"});
  CHECK(jwk["alg"] == "RS256");
  CHECK(jwk["e"] == "AQAB");
  CHECK(jwk["kid"] == key->kid());
  CHECK(jwk["kty"] == "RSA");
  CHECK(jwk["use"] == "sig");
  const auto n = Base64UrlDecode(jwk["n"].get<std::string>());
  REQUIRE(n.has_value());
  CHECK(n->size() == 256);
  CHECK(static_cast<uint8_t>((*n)[0]) >= 0x80);
  CHECK(jwk["n"].get<std::string>().find('=') == std::string::npos);

  const std::string data = "header.payload";
  const std::string signature = key->SignRs256(data);
  CHECK(signature.size() == 256);
  CHECK(key->VerifyRs256(data, signature));
  CHECK(parsed->VerifyRs256(data, signature));
  CHECK(key->SignRs256(data) == signature);  // PKCS#1 v1.5 is deterministic.
  CHECK_FALSE(key->VerifyRs256("header.payloaD", signature));

  std::string flipped = signature;
  flipped[100] = static_cast<char>(flipped[100] ^ 0x01);
  CHECK_FALSE(key->VerifyRs256(data, flipped));
  CHECK_FALSE(key->VerifyRs256(data, signature.substr(1)));
  CHECK_FALSE(key->VerifyRs256(data, ""));

  SeededRandom random(99);
  const auto other = GenerateRsaKey(&random);
  CHECK(other->kid() != key->kid());
  CHECK_FALSE(key->VerifyRs256(data, other->SignRs256(data)));
  CHECK_FALSE(other->VerifyRs256(data, signature));
}

TEST_CASE("crypto rsa: FromPem rejects junk") {
  CHECK_THROWS_AS(RsaKey::FromPem(""), std::runtime_error);
  CHECK_THROWS_AS(RsaKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
                  std::runtime_error);
  CHECK_THROWS_AS(RsaKey::FromPem(std::string(5000, '\xff')), std::runtime_error);
}

TEST_CASE("crypto rsa: deterministic generation") {
  const auto start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  SeededRandom a1(7), a2(7), b(8);
  const auto key_a1 = GenerateRsaKey(&a1);
  const auto key_a2 = GenerateRsaKey(&a2);
  const auto key_b = GenerateRsaKey(&b);
  MESSAGE("deterministic RSA-2048 generation: "
          << SecondsSince(start) / 3 * 1000 << " ms/key wall, "
          << (ThreadCpuSeconds() - cpu_start) / 3 * 1000 << " ms/key CPU");
  CHECK(key_a1->private_pem() == key_a2->private_pem());
  CHECK(key_a1->kid() == key_a2->kid());
  CHECK(key_a1->jwk() == key_a2->jwk());
  CHECK(key_a1->private_pem() != key_b->private_pem());
  CHECK(key_a1->kid() != key_b->kid());
  CHECK(key_a1->jwk()["e"] == "AQAB");
  CHECK(RsaKey::FromPem(key_a1->private_pem())->private_pem() == key_a1->private_pem());
  CHECK(key_a1->VerifyRs256("x", key_a2->SignRs256("x")));

  if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
    MESSAGE("openssl not on PATH: skipping the external key check");
    return;
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("cogemu_rsa_test_" + std::to_string(::getpid()) + ".pem");
  {
    std::ofstream out(path);
    out << key_a1->private_pem();
  }
  const std::string command =
      "openssl pkey -in '" + path.string() + "' -check -noout >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  std::filesystem::remove(path);
  CHECK(status == 0);
}

TEST_CASE("crypto rsa: concurrent signing from many threads") {
  const auto key = SharedKey();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string data = "thread " + std::to_string(t) + " message " + std::to_string(i);
        if (!key->VerifyRs256(data, key->SignRs256(data))) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures.load() == 0);
}

TEST_CASE("crypto rsa: signing throughput (informational)") {
  const auto key = SharedKey();
  const std::string data(600, 'x');
  int count = 0;
  const auto start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  double elapsed = 0;
  do {
    for (int i = 0; i < 50; ++i) CHECK_FALSE(key->SignRs256(data).empty());
    count += 50;
    elapsed = SecondsSince(start);
  } while (elapsed < 0.5);
  MESSAGE("SignRs256, one thread: " << static_cast<int>(count / elapsed) << " signatures/s wall, "
                                    << static_cast<int>(count / (ThreadCpuSeconds() - cpu_start))
                                    << " per CPU-second (compare `openssl speed rsa2048` sign/s)");

  count = 0;
  const std::string signature = key->SignRs256(data);
  const auto verify_start = Clock::now();
  do {
    for (int i = 0; i < 500; ++i) CHECK(key->VerifyRs256(data, signature));
    count += 500;
    elapsed = SecondsSince(verify_start);
  } while (elapsed < 0.2);
  MESSAGE("VerifyRs256, one thread: " << static_cast<int>(count / elapsed) << " verifications/s");
}

TEST_CASE("crypto key reservoir: seeded reservoirs hand out the same keys in order") {
  std::vector<std::string> first, second, other;
  {
    KeyReservoir reservoir(2, 42);
    for (int i = 0; i < 3; ++i) first.push_back(reservoir.Take()->kid());
  }
  {
    KeyReservoir reservoir(1, 42);  // Different target and timing, same keys.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 0; i < 3; ++i) second.push_back(reservoir.Take()->kid());
  }
  {
    KeyReservoir reservoir(0, 43);
    other.push_back(reservoir.Take()->kid());
  }
  CHECK(first == second);
  CHECK(std::set<std::string>(first.begin(), first.end()).size() == 3);
  CHECK(other[0] != first[0]);

  SeededRandom random(KeyReservoir::KeySeed(42, 1));
  CHECK(GenerateRsaKey(&random)->kid() == first[1]);
}

TEST_CASE("crypto key reservoir: fills up in the background and stops promptly") {
  const auto start = Clock::now();
  {
    KeyReservoir reservoir(2, std::nullopt);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (reservoir.ready() < 1 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(reservoir.ready() >= 1);
    const auto a = reservoir.Take();
    const auto b = reservoir.Take();
    CHECK(a->kid() != b->kid());
  }                                  // Destroyed while generating the next keys.
  { KeyReservoir reservoir(4, 5); }  // Destroyed right away.
  const auto destroy_start = Clock::now();
  { KeyReservoir reservoir(4, std::nullopt); }
  CHECK(SecondsSince(destroy_start) < 0.2);
  MESSAGE("reservoir test: " << SecondsSince(start) << " s");
}

}  // namespace
}  // namespace cogemu::crypto
