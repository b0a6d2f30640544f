// The emulator's source of randomness. Nothing else draws random numbers: every generated ID,
// secret and code comes from a Random, so `--seed N` makes runs repeatable and tests can fake it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace cogemu {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(uint8_t* out, size_t n) = 0;

  std::string Bytes(size_t n);
  // Uniform in [0, bound), without modulo bias. bound must be > 0.
  uint64_t Below(uint64_t bound);
  // n characters drawn uniformly from `alphabet`.
  std::string FromAlphabet(std::string_view alphabet, size_t n);
  // Lowercase RFC 4122 version-4 UUID.
  std::string Uuid4();
};

// The OS CSPRNG (OpenSSL RAND_bytes).
class SystemRandom : public Random {
 public:
  void Fill(uint8_t* out, size_t n) override;
};

// A deterministic stream: SHA-256(seed || counter) blocks. Same seed, same sequence of calls,
// same output. Thread-safe (the order of concurrent calls decides who gets which bytes).
class SeededRandom : public Random {
 public:
  explicit SeededRandom(uint64_t seed);
  void Fill(uint8_t* out, size_t n) override;

 private:
  std::mutex mu_;
  std::string seed_bytes_;
  uint64_t counter_ = 0;
  std::string block_;
  size_t used_ = 0;
};

// Records what it draws from `source` so that a re-run of the same work after Rewind() gets the
// same bytes again, then fresh ones once the recording is used up. Not thread-safe: one request.
class ReplayRandom : public Random {
 public:
  explicit ReplayRandom(Random& source) : source_(source) {}
  void Fill(uint8_t* out, size_t n) override;
  void Rewind() { position_ = 0; }

 private:
  Random& source_;
  std::string recorded_;
  size_t position_ = 0;
};

std::unique_ptr<Random> MakeRandom(std::optional<uint64_t> seed);

namespace alphabet {
inline constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kDigits = "0123456789";
}  // namespace alphabet

}  // namespace cogemu
