// The verification rules of attribute updates (rules/attribute_updates.h), one row per case.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "emulator/idp/rules/attribute_updates.h"

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;
using Names = std::vector<std::string>;

struct Row {
  const char* what;
  json attributes;  // before
  json pending;     // before
  json writes;      // checked writes: name -> value
  json auto_verified;
  json before_update;  // AttributesRequireVerificationBeforeUpdate
  json want_attributes;
  json want_pending;
  Names want_send;
  Names want_void;
};

const json kVerifiedAlice = {{"sub", "s"}, {"email", "a@x.co"}, {"email_verified", "true"}};
const json kEmail = json::array({"email"});
const json kNone = json::array();

TEST_CASE("attribute updates: verification state per write") {
  const std::vector<Row> rows = {
      {"a plain attribute is set, an empty one deleted", {{"sub", "s"}, {"name", "A"}, {"locale", "en"}},
       json::object(), {{"name", "B"}, {"locale", ""}}, kEmail, kNone, {{"sub", "s"}, {"name", "B"}},
       json::object(), {}, {}},
      {"a new email is unverified and gets a code when auto-verified", kVerifiedAlice, json::object(),
       {{"email", "b@x.co"}}, kEmail, kNone, {{"sub", "s"}, {"email", "b@x.co"}, {"email_verified", "false"}},
       json::object(), {"email"}, {}},
      {"a new email without auto-verification: unverified, no code, the old code void", kVerifiedAlice,
       json::object(), {{"email", "b@x.co"}}, kNone, kNone,
       {{"sub", "s"}, {"email", "b@x.co"}, {"email_verified", "false"}}, json::object(), {}, {"email"}},
      {"the same email again changes nothing and sends nothing", kVerifiedAlice, json::object(),
       {{"email", "a@x.co"}}, kEmail, kEmail, kVerifiedAlice, json::object(), {}, {}},
      {"an admin's email_verified=true takes the new email as verified", kVerifiedAlice, json::object(),
       {{"email", "b@x.co"}, {"email_verified", "true"}}, kEmail, kNone,
       {{"sub", "s"}, {"email", "b@x.co"}, {"email_verified", "true"}}, json::object(), {}, {"email"}},
      {"verification before update: the old email stays verified, the new one waits", kVerifiedAlice,
       json::object(), {{"email", "b@x.co"}}, kEmail, kEmail, kVerifiedAlice, {{"email", "b@x.co"}}, {"email"}, {}},
      {"verification before update, admin vouches: applied at once", kVerifiedAlice, {{"email", "b@x.co"}},
       {{"email", "c@x.co"}, {"email_verified", "true"}}, kEmail, kEmail,
       {{"sub", "s"}, {"email", "c@x.co"}, {"email_verified", "true"}}, json::object(), {}, {"email"}},
      {"email_verified=true alone applies the pending email", kVerifiedAlice, {{"email", "b@x.co"}},
       {{"email_verified", "true"}}, kEmail, kEmail, {{"sub", "s"}, {"email", "b@x.co"}, {"email_verified", "true"}},
       json::object(), {}, {"email"}},
      {"writing the current value back drops the pending one and its code", kVerifiedAlice, {{"email", "b@x.co"}},
       {{"email", "a@x.co"}}, kEmail, kEmail, kVerifiedAlice, json::object(), {}, {"email"}},
      {"deleting the email takes its flag and pending value", kVerifiedAlice, {{"email", "b@x.co"}},
       {{"email", ""}}, kEmail, kEmail, {{"sub", "s"}}, json::object(), {}, {"email"}},
      {"an admin sets only the flag", kVerifiedAlice, json::object(), {{"email_verified", "false"}}, kEmail, kNone,
       {{"sub", "s"}, {"email", "a@x.co"}, {"email_verified", "false"}}, json::object(), {}, {}},
      {"deleting only the flag", kVerifiedAlice, json::object(), {{"email_verified", ""}}, kEmail, kNone,
       {{"sub", "s"}, {"email", "a@x.co"}}, json::object(), {}, {}},
      {"email and phone at once: two codes, email first", {{"sub", "s"}}, json::object(),
       {{"phone_number", "+15550100"}, {"email", "b@x.co"}}, json::array({"phone_number", "email"}), kNone,
       {{"sub", "s"},
        {"email", "b@x.co"},
        {"email_verified", "false"},
        {"phone_number", "+15550100"},
        {"phone_number_verified", "false"}},
       json::object(), {"email", "phone_number"}, {}},
      {"a first email with verification before update also waits", {{"sub", "s"}}, json::object(),
       {{"email", "b@x.co"}}, kEmail, kEmail, {{"sub", "s"}}, {{"email", "b@x.co"}}, {"email"}, {}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    const AttributeUpdatePlan plan =
        PlanAttributeUpdate(row.attributes, row.pending, row.writes, row.auto_verified, row.before_update);
    CHECK(plan.attributes == row.want_attributes);
    CHECK(plan.pending == row.want_pending);
    CHECK(plan.send_codes == row.want_send);
    CHECK(plan.void_codes == row.want_void);
  }
}

TEST_CASE("attribute updates: verification applies the pending value") {
  json attributes = kVerifiedAlice;
  json pending = {{"email", "b@x.co"}, {"phone_number", "+15550100"}};
  ApplyVerification(attributes, pending, "email");
  CHECK(attributes == json{{"sub", "s"}, {"email", "b@x.co"}, {"email_verified", "true"}});
  CHECK(pending == json{{"phone_number", "+15550100"}});

  json plain = {{"phone_number", "+15550199"}, {"phone_number_verified", "false"}};
  json none = json::object();
  ApplyVerification(plain, none, "phone_number");
  CHECK(plain == json{{"phone_number", "+15550199"}, {"phone_number_verified", "true"}});
}

TEST_CASE("attribute updates: names and targets") {
  CHECK(IsVerifiableAttribute("email"));
  CHECK(IsVerifiableAttribute("phone_number"));
  CHECK_FALSE(IsVerifiableAttribute("email_verified"));
  CHECK_FALSE(IsVerifiableAttribute("name"));
  CHECK(VerifiedFlagOf("phone_number") == "phone_number_verified");
  CHECK(VerificationTarget(kVerifiedAlice, {{"email", "b@x.co"}}, "email") == "b@x.co");
  CHECK(VerificationTarget(kVerifiedAlice, json::object(), "email") == "a@x.co");
  CHECK(VerificationTarget(kVerifiedAlice, json::object(), "phone_number").empty());
}

}  // namespace
}  // namespace cogemu::idp::rules
