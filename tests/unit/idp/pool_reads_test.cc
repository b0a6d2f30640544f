// Handlers read the pool record through a per-thread cache of decoded records (FindPool): every
// read must still see what the store holds now, after an update, a snapshot restore or a reset.
#include <doctest/doctest.h>

#include "tests/unit/support/emulator_fixture.h"

using cogemu::testing::CallResult;
using cogemu::testing::EmulatorFixture;
using nlohmann::json;

namespace {

json Policy(int minimum_length) {
  return {{"PasswordPolicy",
           {{"MinimumLength", minimum_length},
            {"RequireUppercase", false},
            {"RequireLowercase", false},
            {"RequireNumbers", false},
            {"RequireSymbols", false}}}};
}

struct PoolReads : EmulatorFixture {
  std::string pool = CreatePool(json{{"Policies", Policy(6)}});
  PoolReads() {
    Ok("AdminCreateUser", {{"UserPoolId", pool}, {"Username", "ann"}, {"MessageAction", "SUPPRESS"}});
  }
  std::string SetPassword(const std::string& password) {
    CallResult r = Call("AdminSetUserPassword",
                        {{"UserPoolId", pool}, {"Username", "ann"}, {"Password", password}, {"Permanent", true}});
    return r.ok() ? "ok" : r.type();
  }
};

}  // namespace

TEST_CASE_FIXTURE(PoolReads, "pool reads: an update, a restore and a reset are seen by the next call") {
  CHECK(SetPassword("sixsix") == "ok");
  auto before = env().TakeSnapshot();

  Ok("UpdateUserPool", {{"UserPoolId", pool}, {"Policies", Policy(12)}});
  CHECK(SetPassword("sixsix") == "InvalidPasswordException");  // the new policy, not a cached one

  env().Restore(*before);
  CHECK(SetPassword("sixsix") == "ok");  // the restored policy

  env().Clear();
  CHECK(SetPassword("sixsix") == "ResourceNotFoundException");  // no pool after a reset
}
