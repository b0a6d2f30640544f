#include "emulator/clock.h"

#include <chrono>

namespace cogemu {

int64_t ControllableClock::SystemMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t ControllableClock::NowMillis() const {
  std::lock_guard lock(mu_);
  return frozen_ ? frozen_at_ms_ : SystemMillis() + offset_ms_;
}

void ControllableClock::Set(int64_t epoch_millis) {
  std::lock_guard lock(mu_);
  if (frozen_) frozen_at_ms_ = epoch_millis;
  offset_ms_ = epoch_millis - SystemMillis();
}

void ControllableClock::Advance(int64_t millis) {
  std::lock_guard lock(mu_);
  if (frozen_) frozen_at_ms_ += millis;
  offset_ms_ += millis;
}

void ControllableClock::Freeze(bool frozen) {
  std::lock_guard lock(mu_);
  if (frozen == frozen_) return;
  if (frozen) {
    frozen_at_ms_ = SystemMillis() + offset_ms_;
  } else {
    offset_ms_ = frozen_at_ms_ - SystemMillis();
  }
  frozen_ = frozen;
}

bool ControllableClock::frozen() const {
  std::lock_guard lock(mu_);
  return frozen_;
}

}  // namespace cogemu
