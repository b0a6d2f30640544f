#include "emulator/random.h"

#include <cstring>

#include "emulator/crypto/hash.h"

namespace cogemu {

std::string Random::Bytes(size_t n) {
  std::string out(n, '\0');
  Fill(reinterpret_cast<uint8_t*>(out.data()), n);
  return out;
}

uint64_t Random::Below(uint64_t bound) {
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  for (;;) {
    uint64_t v = 0;
    Fill(reinterpret_cast<uint8_t*>(&v), sizeof v);
    if (v < limit) return v % bound;
  }
}

std::string Random::FromAlphabet(std::string_view alphabet, size_t n) {
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out += alphabet[Below(alphabet.size())];
  return out;
}

std::string Random::Uuid4() {
  std::string b = Bytes(16);
  b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
  const std::string hex = crypto::HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

void ReplayRandom::Fill(uint8_t* out, size_t n) {
  if (position_ + n > recorded_.size()) {
    const size_t missing = position_ + n - recorded_.size();
    recorded_ += source_.Bytes(missing);
  }
  std::memcpy(out, recorded_.data() + position_, n);
  position_ += n;
}

void SystemRandom::Fill(uint8_t* out, size_t n) { crypto::SystemRandomBytes(out, n); }

SeededRandom::SeededRandom(uint64_t seed) {
  seed_bytes_ = "cognito-emulator seed ";
  for (int i = 7; i >= 0; --i) seed_bytes_ += static_cast<char>((seed >> (8 * i)) & 0xFF);
}

void SeededRandom::Fill(uint8_t* out, size_t n) {
  std::lock_guard lock(mu_);
  while (n > 0) {
    if (used_ == block_.size()) {
      std::string input = seed_bytes_;
      for (int i = 7; i >= 0; --i) input += static_cast<char>((counter_ >> (8 * i)) & 0xFF);
      ++counter_;
      block_ = crypto::Sha256(input);
      used_ = 0;
    }
    const size_t take = std::min(n, block_.size() - used_);
    std::memcpy(out, block_.data() + used_, take);
    used_ += take;
    out += take;
    n -= take;
  }
}

std::unique_ptr<Random> MakeRandom(std::optional<uint64_t> seed) {
  if (seed) return std::make_unique<SeededRandom>(*seed);
  return std::make_unique<SystemRandom>();
}

}  // namespace cogemu
