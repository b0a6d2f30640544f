#include <doctest/doctest.h>

#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

TEST_CASE("auth events: an empty list for a known user, AWS's errors otherwise") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  f.CreateConfirmedUser(pool, "olga", "Passw0rd!");
  CHECK(f.Ok("AdminListUserAuthEvents", {{"UserPoolId", pool}, {"Username", "olga"}}) ==
        json{{"AuthEvents", json::array()}});
  CallResult unknown = f.Call("AdminListUserAuthEvents", {{"UserPoolId", pool}, {"Username", "nobody"}});
  CHECK(unknown.type() == "UserNotFoundException");
  CHECK(unknown.message() == "User does not exist.");
  CallResult no_pool = f.Call("AdminListUserAuthEvents", {{"UserPoolId", "us-east-1_Missing1"}, {"Username", "olga"}});
  CHECK(no_pool.message() == "User pool us-east-1_Missing1 does not exist.");
  CHECK(f.Ok("AdminUpdateAuthEventFeedback", {{"UserPoolId", pool}, {"Username", "olga"},
                                              {"EventId", "event-1"}, {"FeedbackValue", "Valid"}}) == json::object());
  CHECK(f.Ok("UpdateAuthEventFeedback", {{"UserPoolId", pool}, {"Username", "olga"}, {"EventId", "event-1"},
                                         {"FeedbackToken", "token-1"}, {"FeedbackValue", "Invalid"}}) == json::object());
  CHECK(f.Call("UpdateAuthEventFeedback", {{"UserPoolId", pool}, {"Username", "olga"}, {"EventId", "e"},
                                           {"FeedbackToken", "t"}, {"FeedbackValue", "Maybe"}})
            .type() == "InvalidParameterException");
}

}  // namespace
}  // namespace cogemu::testing
