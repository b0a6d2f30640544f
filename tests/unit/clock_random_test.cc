#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "emulator/clock.h"
#include "emulator/control/control.h"
#include "emulator/random.h"

namespace cogemu {
namespace {

TEST_CASE("clock: set, advance and freeze") {
  ControllableClock c;
  c.Set(1'700'000'000'000);
  CHECK(c.NowMillis() >= 1'700'000'000'000);
  CHECK(c.NowMillis() < 1'700'000'005'000);
  c.Freeze(true);
  const int64_t frozen = c.NowMillis();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(c.NowMillis() == frozen);
  c.Advance(3'600'000);
  CHECK(c.NowMillis() == frozen + 3'600'000);
  c.Set(2'000'000'000'000);
  CHECK(c.NowMillis() == 2'000'000'000'000);
  CHECK(c.frozen());
  c.Freeze(false);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(c.NowMillis() >= 2'000'000'000'010);
  CHECK(c.NowMillis() < 2'000'000'005'000);
  CHECK(c.NowSeconds() >= 2'000'000'000);
}

TEST_CASE("clock: ISO-8601 parsing for the control API") {
  struct Case {
    const char* text;
    std::optional<int64_t> millis;
  } cases[] = {
      {"2026-01-02T03:04:05Z", 1767323045000},
      {"2026-01-02T03:04:05.250Z", 1767323045250},
      {"2026-01-02T05:04:05+02:00", 1767323045000},
      {"2026-01-02", 1767312000000},
      {"1970-01-01T00:00:00Z", 0},
      {"2026-13-02T00:00:00Z", std::nullopt},
      {"yesterday", std::nullopt},
      {"2026-01-02T03:04", std::nullopt},
      {"2026-01-02T03:04:05Zjunk", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(control::ParseIso8601(c.text) == c.millis);
  }
}

TEST_CASE("random: a seed makes the stream repeatable, distinct seeds differ") {
  SeededRandom a(42), b(42), c(43);
  CHECK(a.Bytes(100) == b.Bytes(100));
  CHECK(a.FromAlphabet(alphabet::kAlnum, 9) == b.FromAlphabet(alphabet::kAlnum, 9));
  SeededRandom d(42);
  CHECK(d.Bytes(100) != c.Bytes(100));
}

TEST_CASE("random: UUIDs are version 4 and alphabets are respected") {
  SystemRandom r;
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string u = r.Uuid4();
    REQUIRE(u.size() == 36);
    CHECK(u[14] == '4');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);
    seen.insert(u);
    std::string id = r.FromAlphabet(alphabet::kLowerAlnum, 26);
    CHECK(id.find_first_not_of(alphabet::kLowerAlnum) == std::string::npos);
  }
  CHECK(seen.size() == 200);
  for (int i = 0; i < 1000; ++i) CHECK(r.Below(7) < 7);
}

}  // namespace
}  // namespace cogemu
