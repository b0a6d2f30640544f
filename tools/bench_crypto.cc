// The crypto ceilings scripts/bench compares sign-ins to, measured on every core at once:
//   bench_crypto [SECONDS]
// prints one JSON object: {"threads": n, "modexp_per_s": ..., "rs256_per_s": ...} where
// modexp is a 3072-bit modular exponentiation with a random 256-bit exponent and a random base
// (BN_mod_exp_mont_consttime, the cost of one SRP exponentiation without any shortcut) and rs256
// one RSA-2048 PKCS#1 v1.5 SHA-256 signature. A sign-in's ceiling follows from its count of each.
#include <openssl/bn.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

#include "emulator/crypto/rsa.h"
#include "emulator/crypto/srp.h"

namespace {

using Clock = std::chrono::steady_clock;

// Runs `op` on `threads` threads for `seconds`; returns operations per second, all threads together.
double Rate(int threads, double seconds, const std::function<std::function<void()>()>& make_op) {
  std::atomic<bool> stop{false};
  std::atomic<long> done{0};  // NOLINT(runtime/int)
  std::vector<std::thread> pool;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      std::function<void()> op = make_op();
      long n = 0;  // NOLINT(runtime/int)
      while (!stop.load(std::memory_order_relaxed)) {
        op();
        ++n;
      }
      done += n;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  return static_cast<double>(done.load()) / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const double modexp = Rate(threads, seconds, [&] {
    BIGNUM* n = nullptr;
    // N: the SRP group's prime (RFC 3526, 3072 bits).
    const std::string n_hex = cogemu::crypto::srp::kPrimeHex;
    BN_hex2bn(&n, n_hex.c_str());
    BN_CTX* ctx = BN_CTX_new();
    BN_MONT_CTX* mont = BN_MONT_CTX_new();
    BN_MONT_CTX_set(mont, n, ctx);
    BIGNUM* base = BN_new();
    BIGNUM* e = BN_new();
    BIGNUM* r = BN_new();
    BN_rand_range(base, n);
    BN_rand(e, 256, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
    BN_set_flags(e, BN_FLG_CONSTTIME);
    // Leaked on purpose: a few per thread, for the process's life.
    return std::function<void()>([=] { BN_mod_exp_mont_consttime(r, base, e, n, ctx, mont); });
  });
  const std::shared_ptr<const cogemu::crypto::RsaKey> key = cogemu::crypto::GenerateRsaKey();
  const std::string payload(300, 'x');
  const double rs256 = Rate(threads, seconds, [&] {
    return std::function<void()>([&] { (void)key->SignRs256(payload); });
  });
  std::printf("{\"threads\": %d, \"modexp_per_s\": %.1f, \"rs256_per_s\": %.1f}\n", threads, modexp, rs256);
  return 0;
}
