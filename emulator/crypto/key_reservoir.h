// RSA key generation takes 0.1-0.3 s (OpenSSL keygen) here: far too slow for the request path
// (test suites create a user pool per test and each pool needs two keys). A KeyReservoir keeps
// `target` keys ready, made by a background thread, and hands them out in a fixed order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "emulator/crypto/rsa.h"

namespace cogemu::crypto {

class KeyReservoir {
 public:
  // seed: when set, key i (i = 0, 1, 2, ... in hand-out order) is
  // GenerateRsaKey(&SeededRandom(KeySeed(*seed, i))), so the i-th key taken is the same in every
  // run with that seed, whatever the timing. Without a seed, keys come from the OS RNG.
  // target == 0 starts no thread: every Take() generates on the calling thread.
  KeyReservoir(size_t target, std::optional<uint64_t> seed);
  // Stops the background thread (it checks a flag between prime candidates) and joins it.
  ~KeyReservoir();
  KeyReservoir(const KeyReservoir&) = delete;
  KeyReservoir& operator=(const KeyReservoir&) = delete;

  // Returns the next key in order. If it is not ready yet, the caller helps: it generates the
  // next unclaimed key itself (keeping the index order) instead of only waiting.
  // Rethrows the std::runtime_error if generating this key failed.
  std::shared_ptr<const RsaKey> Take();
  // Keys generated and not yet handed out (nor reserved by a waiting Take()).
  size_t ready() const;

  // The SeededRandom seed for key `index` of a reservoir seeded with `seed` (SHA-256 derived).
  static uint64_t KeySeed(uint64_t seed, uint64_t index);

 private:
  struct Slot {
    std::shared_ptr<const RsaKey> key;
    std::exception_ptr error;
  };

  // Generates key `index` (seeded or not); nullptr if `cancel` was raised.
  std::shared_ptr<const RsaKey> Generate(uint64_t index, const std::atomic<bool>* cancel) const;
  void Run();

  const size_t target_;
  const std::optional<uint64_t> seed_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_claim_ = 0;        // Next index nobody is generating yet.
  uint64_t next_take_ = 0;         // Next index Take() will hand out.
  std::map<uint64_t, Slot> done_;  // Generated, not yet handed out.
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cogemu::crypto
