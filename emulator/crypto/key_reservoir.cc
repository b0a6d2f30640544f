#include "emulator/crypto/key_reservoir.h"

#include <string>
#include <utility>

#include "emulator/crypto/hash.h"
#include "emulator/random.h"

namespace cogemu::crypto {

KeyReservoir::KeyReservoir(size_t target, std::optional<uint64_t> seed)
    : target_(target), seed_(seed) {
  if (target_ > 0) thread_ = std::thread([this] { Run(); });
}

KeyReservoir::~KeyReservoir() {
  {
    std::lock_guard lock(mu_);
    stop_.store(true);
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t KeyReservoir::KeySeed(uint64_t seed, uint64_t index) {
  std::string input = "cogemu key reservoir ";
  for (int i = 7; i >= 0; --i) input += static_cast<char>((seed >> (8 * i)) & 0xFF);
  for (int i = 7; i >= 0; --i) input += static_cast<char>((index >> (8 * i)) & 0xFF);
  const std::string digest = Sha256(input);
  uint64_t out = 0;
  for (int i = 0; i < 8; ++i) out = (out << 8) | static_cast<uint8_t>(digest[i]);
  return out;
}

std::shared_ptr<const RsaKey> KeyReservoir::Generate(uint64_t index,
                                                     const std::atomic<bool>* cancel) const {
  if (!seed_) return GenerateRsaKeyCancellable(nullptr, cancel);
  SeededRandom random(KeySeed(*seed_, index));
  return GenerateRsaKeyCancellable(&random, cancel);
}

void KeyReservoir::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_.load() || next_claim_ < next_take_ + target_; });
    if (stop_.load()) return;
    const uint64_t index = next_claim_++;
    lock.unlock();
    Slot slot;
    try {
      slot.key = Generate(index, &stop_);
    } catch (...) {
      slot.error = std::current_exception();
    }
    lock.lock();
    if (!slot.key && !slot.error) return;  // Cancelled: we are being destroyed.
    done_.emplace(index, std::move(slot));
    cv_.notify_all();
  }
}

std::shared_ptr<const RsaKey> KeyReservoir::Take() {
  std::unique_lock lock(mu_);
  const uint64_t mine = next_take_++;
  cv_.notify_all();  // The background thread may now be below target.
  for (;;) {
    if (auto it = done_.find(mine); it != done_.end()) {
      Slot slot = std::move(it->second);
      done_.erase(it);
      if (slot.error) std::rethrow_exception(slot.error);
      return slot.key;
    }
    if (next_claim_ <= mine) {
      // Our key is not being made yet: make the next unclaimed one here, in index order.
      const uint64_t index = next_claim_++;
      lock.unlock();
      Slot slot;
      try {
        slot.key = Generate(index, nullptr);
      } catch (...) {
        slot.error = std::current_exception();
      }
      lock.lock();
      done_.emplace(index, std::move(slot));
      cv_.notify_all();
      continue;
    }
    cv_.wait(lock);
  }
}

size_t KeyReservoir::ready() const {
  std::lock_guard lock(mu_);
  size_t count = 0;
  for (auto it = done_.lower_bound(next_take_); it != done_.end(); ++it) {
    if (it->second.key) ++count;
  }
  return count;
}

}  // namespace cogemu::crypto
