// A store for fixture tests: an EmulatorFixture (temporary LMDB store, FakeClock, seeded Random,
// the real dispatcher) that can also call fixtures::Apply, ApplyOnce and Export on the same store
// the API calls see. Apply commits only when it returns, as the server does, so a failing
// document leaves nothing behind.
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "emulator/api/context.h"
#include "emulator/fixtures/fixtures.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {

class FixtureStore : public EmulatorFixture {
 public:
  explicit FixtureStore(uint64_t seed = 1234) : EmulatorFixture(seed) {}

  // fixtures::Apply in one write transaction, committed only if it returns.
  json Apply(const json& doc) {
    return InTxn(store::Txn::Mode::kWrite, [&](api::Context& ctx) { return fixtures::Apply(ctx, doc); });
  }
  json ApplyOnce(const json& doc) {
    return InTxn(store::Txn::Mode::kWrite, [&](api::Context& ctx) { return fixtures::ApplyOnce(ctx, doc); });
  }
  json Export() {
    return InTxn(store::Txn::Mode::kRead, [&](api::Context& ctx) { return fixtures::Export(ctx); });
  }
  // Apply that must fail: returns the ApiError (code, message).
  std::pair<std::string, std::string> ApplyError(const json& doc) {
    try {
      Apply(doc);
    } catch (const ApiError& e) {
      return {e.code(), e.message()};
    }
    FAIL("Apply succeeded: " << doc.dump());
    return {};
  }
};

}  // namespace cogemu::testing
