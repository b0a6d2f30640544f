// The emulator's clock. Nothing else reads the system time: every expiry (tokens, codes,
// sessions, lockouts) and every timestamp the API returns comes from a Clock, which tests and
// the control API can set, advance and freeze.
#pragma once

#include <cstdint>
#include <mutex>

namespace cogemu {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() const = 0;
  int64_t NowSeconds() const { return NowMillis() / 1000; }
  // AWS timestamps are JSON numbers of epoch seconds with a millisecond fraction.
  double NowEpoch() const { return static_cast<double>(NowMillis()) / 1000.0; }
};

// The clock the server runs on: system time plus an offset, optionally frozen.
// Thread-safe.
class ControllableClock : public Clock {
 public:
  ControllableClock() = default;
  int64_t NowMillis() const override;

  // Jump to an absolute time; a frozen clock stays frozen at the new time.
  void Set(int64_t epoch_millis);
  // Move forward (or back, if negative).
  void Advance(int64_t millis);
  // Freeze at the current reading, or let it run again from where it stands.
  void Freeze(bool frozen);
  bool frozen() const;

 private:
  static int64_t SystemMillis();
  mutable std::mutex mu_;
  int64_t offset_ms_ = 0;         // added to system time when running
  bool frozen_ = false;
  int64_t frozen_at_ms_ = 0;      // the reading while frozen
};

// A clock that only moves when told to; for unit tests.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t epoch_millis = 1700000000000) : now_(epoch_millis) {}
  int64_t NowMillis() const override { return now_; }
  void Set(int64_t epoch_millis) { now_ = epoch_millis; }
  void Advance(int64_t millis) { now_ += millis; }

 private:
  int64_t now_;
};

}  // namespace cogemu
