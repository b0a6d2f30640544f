#include "emulator/protocol/model.h"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "emulator/protocol/embedded_models.h"

namespace cogemu::protocol {
namespace {

TEST_CASE("model: cognito-idp metadata and operations") {
  const ServiceModel& idp = IdpModel();
  CHECK(idp.operations().size() == 129);
  CHECK(idp.target_prefix() == "AWSCognitoIdentityProviderService");
  CHECK(idp.endpoint_prefix() == "cognito-idp");
  CHECK(idp.signing_name() == "cognito-idp");
  CHECK(idp.api_version() == "2016-04-18");
  CHECK(&IdpModel() == &idp);  // parsed once

  for (const char* name : {"InitiateAuth", "SignUp", "RespondToAuthChallenge", "ConfirmSignUp",
                           "GetUser", "ForgotPassword", "RevokeToken"}) {
    CAPTURE(name);
    const Operation* op = idp.FindOperation(name);
    REQUIRE(op != nullptr);
    CHECK(op->name == name);
    CHECK(op->unsigned_auth);
  }
  for (const char* name : {"AdminGetUser", "CreateUserPool", "DescribeUserPool", "ListUserPools"}) {
    CAPTURE(name);
    REQUIRE(idp.FindOperation(name) != nullptr);
    CHECK_FALSE(idp.FindOperation(name)->unsigned_auth);
  }
  size_t unsigned_ops = 0;
  for (const auto& op : idp.operations()) {
    CHECK(op->input != nullptr);
    CHECK(idp.FindOperation(op->name) == op.get());
    if (op->unsigned_auth) ++unsigned_ops;
  }
  CHECK(unsigned_ops == 32);
  CHECK(idp.FindOperation("NoSuchOperation") == nullptr);
  CHECK(idp.FindOperation("adminGetUser") == nullptr);  // case-sensitive
}

TEST_CASE("model: cognito-identity metadata and operations") {
  const ServiceModel& identity = IdentityModel();
  CHECK(identity.operations().size() == 23);
  CHECK(identity.target_prefix() == "AWSCognitoIdentityService");
  CHECK(identity.endpoint_prefix() == "cognito-identity");
  CHECK(identity.signing_name() == "cognito-identity");
  CHECK(identity.api_version() == "2014-06-30");
  for (const char* name : {"GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "UnlinkIdentity"}) {
    CAPTURE(name);
    REQUIRE(identity.FindOperation(name) != nullptr);
    CHECK(identity.FindOperation(name)->unsigned_auth);
  }
  REQUIRE(identity.FindOperation("DescribeIdentityPool") != nullptr);
  CHECK_FALSE(identity.FindOperation("DescribeIdentityPool")->unsigned_auth);
  CHECK_FALSE(identity.FindOperation("GetOpenIdTokenForDeveloperIdentity")->unsigned_auth);
}

TEST_CASE("model: shapes, members and traits") {
  const ServiceModel& idp = IdpModel();
  const Operation* describe = idp.FindOperation("DescribeUserPool");
  REQUIRE(describe != nullptr);
  REQUIRE(describe->input != nullptr);
  CHECK(describe->input->name == "DescribeUserPoolRequest");
  CHECK(describe->input->type == ShapeType::kStructure);
  REQUIRE(describe->input->members.size() == 1);
  const Member* pool = describe->input->FindMember("UserPoolId");
  REQUIRE(pool != nullptr);
  CHECK(pool->path_name == "userPoolId");
  CHECK(pool->required);
  CHECK(describe->input->FindMember("userPoolId") == nullptr);
  const Shape* pool_id = pool->shape;
  CHECK(pool_id->name == "UserPoolIdType");
  CHECK(pool_id->type == ShapeType::kString);
  CHECK(pool_id->min == 1);
  CHECK(pool_id->max == 55);
  REQUIRE(pool_id->pattern != nullptr);
  CHECK(pool_id->pattern->source() == R"([\w-]+_[0-9a-zA-Z]+)");
  CHECK_FALSE(pool_id->sensitive);
  CHECK(describe->output != nullptr);
  CHECK(describe->output->name == "DescribeUserPoolResponse");

  // Path names lower only the first character.
  const Shape* settings = idp.FindShape("AdminSetUserSettingsRequest");
  REQUIRE(settings != nullptr);
  REQUIRE(settings->FindMember("MFAOptions") != nullptr);
  CHECK(settings->FindMember("MFAOptions")->path_name == "mFAOptions");
  CHECK(settings->FindMember("MFAOptions")->required);

  // Model member order is kept (not sorted).
  const Shape* sign_up = idp.FindShape("SignUpRequest");
  REQUIRE(sign_up != nullptr);
  REQUIRE(sign_up->members.size() >= 4);
  std::set<std::string> required;
  for (const Member& m : sign_up->members) {
    if (m.required) required.insert(m.name);
  }
  CHECK(required == std::set<std::string>{"ClientId", "Username"});

  const Shape* password = idp.FindShape("PasswordType");
  REQUIRE(password != nullptr);
  CHECK(password->sensitive);
  CHECK_FALSE(password->min.has_value());
  CHECK(password->max == 256);

  const Shape* action = idp.FindShape("MessageActionType");
  REQUIRE(action != nullptr);
  CHECK(action->enum_values == std::vector<std::string>{"RESEND", "SUPPRESS"});

  const Shape* attributes = idp.FindShape("AttributeListType");
  REQUIRE(attributes != nullptr);
  CHECK(attributes->type == ShapeType::kList);
  REQUIRE(attributes->member != nullptr);
  CHECK(attributes->member->name == "AttributeType");

  const Shape* metadata = idp.FindShape("ClientMetadataType");
  REQUIRE(metadata != nullptr);
  CHECK(metadata->type == ShapeType::kMap);
  CHECK(metadata->key->name == "StringType");
  CHECK(metadata->value->name == "StringType");

  const Shape* limit = idp.FindShape("PoolQueryLimitType");
  REQUIRE(limit != nullptr);
  CHECK(limit->type == ShapeType::kInteger);
  CHECK(limit->min == 1);
  CHECK(limit->max == 60);

  const Shape* document = idp.FindShape("Document");
  REQUIRE(document != nullptr);
  CHECK(document->is_document);

  const Shape* not_found = idp.FindShape("ResourceNotFoundException");
  REQUIRE(not_found != nullptr);
  CHECK(not_found->is_error);
  CHECK_FALSE(not_found->fault);
  const Shape* internal = idp.FindShape("InternalErrorException");
  REQUIRE(internal != nullptr);
  CHECK(internal->is_error);
  CHECK(internal->fault);

  const Operation* get_user = idp.FindOperation("AdminGetUser");
  REQUIRE(get_user != nullptr);
  bool lists_not_found = false;
  for (const Shape* e : get_user->errors) lists_not_found = lists_not_found || e == not_found;
  CHECK(lists_not_found);
  CHECK(idp.FindShape("NoSuchShape") == nullptr);
}

TEST_CASE("model: shapes with the same pattern share one compiled Pattern") {
  for (const ServiceModel* model : {&IdpModel(), &IdentityModel()}) {
    std::map<std::string, const Pattern*> by_source;
    for (const auto& shape : model->shapes()) {
      if (shape->pattern == nullptr) continue;
      auto [it, inserted] = by_source.emplace(shape->pattern->source(), shape->pattern);
      CHECK(it->second == shape->pattern);
    }
    CHECK(by_source.size() == model->pattern_count());
  }
  CHECK(IdpModel().pattern_count() == 39);
  CHECK(IdentityModel().pattern_count() == 10);
}

TEST_CASE("model: parsing a hand-written model") {
  const char* text = R"({
    "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "svc", "targetPrefix": "Svc"},
    "operations": {
      "Zed": {"name": "Zed", "input": {"shape": "ZedRequest"}, "errors": [{"shape": "Oops"}],
              "auth": ["aws.auth#sigv4"]},
      "Alpha": {"name": "Alpha", "authtype": "none"}
    },
    "shapes": {
      "ZedRequest": {"type": "structure", "required": ["Zeta"],
                     "members": {"Zeta": {"shape": "Str"}, "Alpha": {"shape": "Str2"},
                                 "Mid": {"shape": "Str"}}},
      "Str": {"type": "string", "pattern": "[a-z]+", "min": 1},
      "Str2": {"type": "string", "pattern": "[a-z]+"},
      "Oops": {"type": "structure", "members": {}, "error": {"httpStatusCode": 400}, "exception": true}
    }
  })";
  auto model = ServiceModel::Parse(text);
  CHECK(model->signing_name() == "svc");  // falls back to endpointPrefix
  CHECK(model->target_prefix() == "Svc");
  REQUIRE(model->operations().size() == 2);
  CHECK(model->operations()[0]->name == "Zed");  // text order
  const Operation* zed = model->FindOperation("Zed");
  REQUIRE(zed != nullptr);
  CHECK_FALSE(zed->unsigned_auth);
  REQUIRE(zed->errors.size() == 1);
  CHECK(zed->errors[0]->is_error);
  const Operation* alpha = model->FindOperation("Alpha");
  REQUIRE(alpha != nullptr);
  CHECK(alpha->unsigned_auth);
  CHECK(alpha->input == nullptr);
  const Shape* request = zed->input;
  REQUIRE(request->members.size() == 3);
  CHECK(request->members[0].name == "Zeta");
  CHECK(request->members[1].name == "Alpha");
  CHECK(request->members[2].name == "Mid");
  CHECK(request->members[0].required);
  CHECK_FALSE(request->members[1].required);
  CHECK(request->members[0].shape->pattern == request->members[1].shape->pattern);
  CHECK(model->pattern_count() == 1);
}

TEST_CASE("model: escapes, documentation and unknown keys") {
  auto model = ServiceModel::Parse(R"({
    "version": "2.0",
    "metadata": {"apiVersion": "1", "endpointPrefix": "e", "signingName": "sig", "targetPrefix": "T",
                 "documentation": "<p>\"quoted\" \/ \\ \t</p>", "protocols": ["json"]},
    "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                          "input": {"shape": "S", "documentation": "x"}, "authtype": "none",
                          "auth": ["smithy.api#noAuth"], "deprecated": true}},
    "shapes": {
      "S": {"type": "structure", "members": {"P": {"shape": "P", "box": true, "deprecated": true}}},
      "P": {"type": "string", "pattern": "\\d+\u00e9", "enum": ["caf\u00e9", "\ud83d\ude00"],
            "documentation": "a\\b\n", "min": 1e0, "max": 1.28E2}
    },
    "documentation": "top"
  })");
  CHECK(model->signing_name() == "sig");
  const Operation* op = model->FindOperation("Op");
  REQUIRE(op != nullptr);
  CHECK(op->unsigned_auth);
  const Shape* p = model->FindShape("P");
  REQUIRE(p != nullptr);
  REQUIRE(p->pattern != nullptr);
  CHECK(p->pattern->source() == "\\d+\xc3\xa9");
  CHECK(p->pattern->FullMatch("12\xc3\xa9"));
  CHECK(p->enum_values == std::vector<std::string>{"caf\xc3\xa9", "\xf0\x9f\x98\x80"});
  CHECK(p->min == 1);
  CHECK(p->max == 128);
  CHECK(op->input->members.at(0).shape == p);
}

TEST_CASE("model: malformed models throw") {
  const std::string bad[] = {
      "",
      "{",
      "[]",
      R"({"operations": {}, "shapes": {}})",
      R"({"metadata": {}, "operations": {}})",
      R"({"metadata": {}, "shapes": {}})",
      R"({"metadata": {}, "operations": {"A": {"input": {"shape": "Missing"}}}, "shapes": {}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "quaternion"}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "string", "pattern": "[a"}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"L": {"type": "list"}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "structure",
          "members": {"A": {"shape": "Nope"}}}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "structure",
          "required": ["B"], "members": {}}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {}} x)",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "string", "pattern": "\ud800"}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "string", "min": -}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "string",}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "string"}, "S": {"type": "string"}}})",
      R"({"metadata": {"x": )" + std::string(1000, '[') + std::string(1000, ']') + "}}",
  };
  for (const std::string& text : bad) {
    CAPTURE(text);
    CHECK_THROWS_AS(ServiceModel::Parse(text), std::runtime_error);
  }
}

TEST_CASE("model: the embedded models parse (time reported, not asserted)") {
  const auto texts = EmbeddedModels();
  REQUIRE(texts.size() == 2);
  const auto start = std::chrono::steady_clock::now();
  auto idp = ServiceModel::Parse(texts[0]);
  auto identity = ServiceModel::Parse(texts[1]);
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  MESSAGE("parsing both models took " << elapsed.count() << " ms");
  CHECK(idp->operations().size() == 129);
  CHECK(identity->operations().size() == 23);
  // Speed is measured by scripts/bench (start-up time), never asserted in a test.
}

}  // namespace
}  // namespace cogemu::protocol
