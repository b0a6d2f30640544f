// The dispatcher answers every input with a well-formed AWS response: no operation, however it
// is called, crashes the process or answers something SDKs cannot parse.
#include <doctest/doctest.h>

#include "emulator/protocol/model.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

// Bodies that exercise validation and the handlers' handling of odd but valid input.
std::vector<json> BodiesFor(const std::string& pool, const std::string& client) {
  return {
      json::object(),
      {{"UserPoolId", pool}},
      {{"UserPoolId", pool}, {"ClientId", client}, {"Username", "u1"}},
      {{"UserPoolId", pool}, {"ClientId", client}, {"Username", "u1"}, {"Password", "Passw0rd!"},
       {"AccessToken", "a.b.c"}, {"AuthFlow", "USER_PASSWORD_AUTH"}, {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
       {"AuthParameters", json::object()}, {"ChallengeResponses", json::object()}, {"Session", std::string(30, 'x')},
       {"ResourceArn", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + pool}, {"Tags", json::object()},
       {"TagKeys", json::array()}, {"MaxResults", 1}, {"ConfirmationCode", "123456"}, {"PoolName", "p"},
       {"ClientName", "c"}, {"CustomAttributes", json::array()}, {"IdentityPoolId", "us-east-1:0000"},
       {"IdentityId", "us-east-1:0000"}},
      {{"UserPoolId", nullptr}, {"ClientId", nullptr}, {"Username", nullptr}},
      {{"UserPoolId", 5}},
      {{"UserPoolId", json::array()}},
      {{"UserPoolId", json::object()}},
      {{"UserPoolId", std::string(100000, 'a')}},
      {{"UserPoolId", "us-east-1_\xc3\xa9"}},
  };
}

TEST_CASE("dispatch: every modeled operation answers every body with a well-formed response") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  const std::string client = f.CreateClient(pool)["ClientId"];
  size_t calls = 0;
  for (const auto* model : {&protocol::IdpModel(), &protocol::IdentityModel()}) {
    const bool identity = model == &protocol::IdentityModel();
    for (const auto& op : model->operations()) {
      for (const json& body : BodiesFor(pool, client)) {
        CAPTURE(op->name);
        CAPTURE(body.dump().substr(0, 200));
        CallResult r = f.Call(op->name, body, identity);
        ++calls;
        CHECK((r.status == 200 || r.status == 400 || r.status == 501));
        if (r.status != 200) {
          CHECK_FALSE(r.type().empty());
          CHECK(r.body.contains("message"));
        } else {
          CHECK(r.body.is_object());
        }
      }
    }
  }
  CHECK(calls > 1000);
}

TEST_CASE("dispatch: unknown targets and operations") {
  EmulatorFixture f;
  CallResult r = f.Call("NoSuchOperation", json::object());
  CHECK(r.status == 400);
  CHECK(r.type() == "UnknownOperationException");
}

TEST_CASE("dispatch: a modeled operation without a handler names itself") {
  EmulatorFixture f;
  CallResult r = f.Call("GetCSVHeader", {{"UserPoolId", "us-east-1_abc"}});
  CHECK(r.status == 501);
  CHECK(r.type() == "NotImplementedException");
  CHECK(r.message() == "cognito-emulator does not implement cognito-idp operation GetCSVHeader yet.");
}

}  // namespace
}  // namespace cogemu::testing
