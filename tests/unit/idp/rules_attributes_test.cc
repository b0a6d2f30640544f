#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "emulator/api/error.h"
#include "emulator/idp/rules/attributes.h"
#include "emulator/idp/rules/schema.h"

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;

constexpr const char* kInvalid = "InvalidParameterException";
constexpr const char* kNotAuthorized = "NotAuthorizedException";
constexpr const char* kUnauthorizedWrite = "A client attempted to write unauthorized attribute";
constexpr const char* kPrefix = "Attributes did not conform to the schema: ";

// Standard attributes plus given_name and email required, and custom attributes of every kind.
json TestSchema() {
  return BuildSchema(json::parse(R"([
    {"Name": "given_name", "Required": true},
    {"Name": "email", "Required": true},
    {"Name": "dept", "AttributeDataType": "String",
     "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "10"}},
    {"Name": "age", "AttributeDataType": "Number",
     "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"}},
    {"Name": "flag", "AttributeDataType": "Boolean"},
    {"Name": "locked", "AttributeDataType": "String", "Mutable": false},
    {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": true}
  ])"));
}

// [{"Name":..., "Value":...}] from an object literal-ish list of pairs.
json Attrs(std::initializer_list<std::pair<const char*, const char*>> pairs) {
  json out = json::array();
  for (const auto& [name, value] : pairs) out.push_back({{"Name", name}, {"Value", value}});
  return out;
}

struct Outcome {
  std::string code;  // "" on success
  std::string message;
  json result;
};

Outcome Run(const json& schema, const json& attrs, const AttributeCheck& check) {
  try {
    return {"", "", CheckAttributeWrites(schema, attrs, check)};
  } catch (const ApiError& e) {
    return {e.code(), e.message(), nullptr};
  }
}

template <typename F>
std::optional<std::pair<std::string, std::string>> ErrorOf(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return std::make_pair(e.code(), e.message());
  }
  return std::nullopt;
}

const json kClientWrites = {"email", "given_name"};
constexpr AttributeCheck kAdminCreate{true, AttributeWriter::kAdmin, nullptr};
constexpr AttributeCheck kAdminUpdate{false, AttributeWriter::kAdmin, nullptr};
constexpr AttributeCheck kSelfCreate{true, AttributeWriter::kSelf, nullptr};
constexpr AttributeCheck kSelfUpdate{false, AttributeWriter::kSelf, nullptr};
const AttributeCheck kSelfCreateLimited{true, AttributeWriter::kSelf, &kClientWrites};

struct Case {
  const char* what;
  json attrs;
  AttributeCheck check;
  const char* code;     // nullptr: success
  std::string message;  // or the expected result, as JSON text, on success
};

void RunCases(const std::vector<Case>& cases) {
  const json schema = TestSchema();
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const Outcome got = Run(schema, c.attrs, c.check);
    if (c.code == nullptr) {
      CHECK(got.code == "");
      CHECK(got.message == "");
      CHECK(got.result == json::parse(c.message));
    } else {
      CHECK(got.code == c.code);
      CHECK(got.message == c.message);
    }
  }
}

TEST_CASE("rules attributes: accepted writes are normalised") {
  RunCases({
      {"admin create, every kind",
       Attrs({{"email", "a@b.co"},
              {"given_name", "Al"},
              {"custom:dept", "eng"},
              {"custom:age", "42"},
              {"custom:flag", "TRUE"},
              {"custom:locked", "x"},
              {"dev:custom:secret", "s"},
              {"email_verified", "True"},
              {"phone_number", "+15551234567"},
              {"birthdate", "2000-01-01"}}),
       kAdminCreate, nullptr,
       R"({"email":"a@b.co","given_name":"Al","custom:dept":"eng","custom:age":"42","custom:flag":"true",
           "custom:locked":"x","dev:custom:secret":"s","email_verified":"true",
           "phone_number":"+15551234567","birthdate":"2000-01-01"})"},
      {"numbers at their bounds", Attrs({{"custom:age", "150"}, {"updated_at", "1700000000"}}), kAdminCreate,
       nullptr, R"({"custom:age":"150","updated_at":"1700000000"})"},
      {"decimal number", Attrs({{"custom:age", "42.5"}}), kAdminUpdate, nullptr, R"({"custom:age":"42.5"})"},
      {"a repeated name: the last value wins", Attrs({{"given_name", "A"}, {"given_name", "B"}}), kSelfCreate,
       nullptr, R"({"given_name":"B"})"},
      {"creating: an empty value means not given", Attrs({{"name", ""}, {"given_name", "Al"}}), kSelfCreate,
       nullptr, R"({"given_name":"Al"})"},
      {"updating: an empty value deletes", Attrs({{"name", ""}}), kSelfUpdate, nullptr, R"({"name":""})"},
      {"length counts UTF-16 units: 10 x e-acute", Attrs({{"custom:dept", "éééééééééé"}}), kAdminCreate,
       nullptr, R"({"custom:dept":"éééééééééé"})"},
      {"5 emoji are 10 UTF-16 units", Attrs({{"custom:dept", "😀😀😀😀😀"}}), kAdminCreate, nullptr,
       R"({"custom:dept":"😀😀😀😀😀"})"},
      {"an immutable attribute can be set at creation", Attrs({{"custom:locked", "v"}}), kSelfCreate, nullptr,
       R"({"custom:locked":"v"})"},
      {"client with a WriteAttributes list", Attrs({{"email", "a@b.co"}, {"given_name", "Al"}}),
       kSelfCreateLimited, nullptr, R"({"email":"a@b.co","given_name":"Al"})"},
      {"no attributes", json::array(), kSelfUpdate, nullptr, "{}"},
  });
}

TEST_CASE("rules attributes: client write permissions") {
  RunCases({
      {"dev:custom is admin-only", Attrs({{"dev:custom:secret", "s"}}), kSelfCreate, kNotAuthorized,
       kUnauthorizedWrite},
      {"email_verified is not client-writable", Attrs({{"email_verified", "true"}}), kSelfUpdate,
       kNotAuthorized, kUnauthorizedWrite},
      {"phone_number_verified is not client-writable", Attrs({{"phone_number_verified", "true"}}),
       kSelfCreate, kNotAuthorized, kUnauthorizedWrite},
      {"sub is not client-writable", Attrs({{"sub", "x"}}), kSelfCreate, kNotAuthorized, kUnauthorizedWrite},
      {"not in the client's WriteAttributes", Attrs({{"email", "a@b.co"}, {"custom:dept", "eng"}}),
       kSelfCreateLimited, kNotAuthorized, kUnauthorizedWrite},
      {"unknown name with a WriteAttributes list (aws-sdk-js#1319)", Attrs({{"Daniel", "x"}}),
       kSelfCreateLimited, kNotAuthorized, kUnauthorizedWrite},
      {"permissions are checked before the schema", Attrs({{"custom:nope", "x"}, {"dev:custom:secret", "s"}}),
       kSelfCreate, kNotAuthorized, kUnauthorizedWrite},
  });
}

TEST_CASE("rules attributes: unknown attributes") {
  RunCases({
      {"SignUp, one", Attrs({{"favorite_flavor", "x"}}), kSelfCreate, kInvalid,
       std::string(kPrefix) + "favorite_flavor: Attribute does not exist in the schema.\n"},
      {"SignUp, several, in request order",
       Attrs({{"custom:firstName", "a"}, {"email", "a@b.co"}, {"custom:dateOfBirth", "b"}}), kSelfCreate,
       kInvalid,
       std::string(kPrefix) + "custom:firstName: Attribute does not exist in the schema.\n"
                              "custom:dateOfBirth: Attribute does not exist in the schema.\n"},
      {"UpdateUserAttributes", Attrs({{"custom:address", "a"}, {"custom:latitude", "1"}}), kSelfUpdate,
       kInvalid,
       "user.custom:address: Attribute does not exist in the schema.\n"
       "user.custom:latitude: Attribute does not exist in the schema.\n"},
      {"admin create", Attrs({{"custom:role", "x"}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "Type for attribute {custom:role} could not be determined"},
      {"admin update, custom name without prefix", Attrs({{"dept", "x"}}), kAdminUpdate, kInvalid,
       std::string(kPrefix) + "Type for attribute {dept} could not be determined"},
      {"dev:custom written as custom", Attrs({{"custom:secret", "x"}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "Type for attribute {custom:secret} could not be determined"},
  });
}

TEST_CASE("rules attributes: sub, immutable and required attributes") {
  RunCases({
      {"admin writing sub", Attrs({{"sub", "x"}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "sub: Attribute cannot be updated.\n"},
      {"admin updating an immutable attribute", Attrs({{"custom:locked", "y"}}), kAdminUpdate, kInvalid,
       "user.custom:locked: Attribute cannot be updated.\n"},
      {"user updating an immutable attribute", Attrs({{"custom:locked", "y"}}), kSelfUpdate, kInvalid,
       "user.custom:locked: Attribute cannot be updated.\n"},
      {"deleting a required attribute", Attrs({{"email", ""}}), kSelfUpdate, kInvalid,
       "user.email: Required attribute cannot be deleted.\n"},
      {"several problems at once, request order",
       Attrs({{"custom:locked", "y"}, {"custom:dept", "abcdefghijk"}, {"given_name", ""}}), kAdminUpdate,
       kInvalid,
       "user.custom:locked: Attribute cannot be updated.\n"
       "user.custom:dept: String must be no longer than 10 characters.\n"
       "user.given_name: Required attribute cannot be deleted.\n"},
  });
}

TEST_CASE("rules attributes: value constraints") {
  RunCases({
      {"string too long", Attrs({{"custom:dept", "abcdefghijk"}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "custom:dept: String must be no longer than 10 characters.\n"},
      {"6 emoji are 12 UTF-16 units", Attrs({{"custom:dept", "😀😀😀😀😀😀"}}), kSelfCreate, kInvalid,
       std::string(kPrefix) + "custom:dept: String must be no longer than 10 characters.\n"},
      {"string too short", Attrs({{"custom:dept", "a"}}), kSelfCreate, kInvalid,
       std::string(kPrefix) + "custom:dept: String must be no shorter than 2 characters.\n"},
      {"birthdate is exactly 10 long", Attrs({{"birthdate", "2000-1-1"}}), kSelfCreate, kInvalid,
       std::string(kPrefix) + "birthdate: String must be no shorter than 10 characters.\n"},
      {"standard default max 2048", Attrs({{"name", std::string(2049, 'n').c_str()}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "name: String must be no longer than 2048 characters.\n"},
      {"not a number", Attrs({{"custom:age", "abc"}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "custom:age: Number must be a valid number.\n"},
      {"half a number", Attrs({{"custom:age", "4."}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "custom:age: Number must be a valid number.\n"},
      {"under MinValue", Attrs({{"custom:age", "-1"}}), kSelfCreate, kInvalid,
       std::string(kPrefix) + "custom:age: Number must be no less than 0.\n"},
      {"over MaxValue", Attrs({{"custom:age", "151"}}), kSelfUpdate, kInvalid,
       "user.custom:age: Number must be no greater than 150.\n"},
      {"updated_at is a Number", Attrs({{"updated_at", "yesterday"}}), kAdminUpdate, kInvalid,
       "user.updated_at: Number must be a valid number.\n"},
      {"boolean", Attrs({{"custom:flag", "yes"}}), kSelfCreate, kInvalid,
       std::string(kPrefix) + "custom:flag: Boolean must be true or false.\n"},
      {"email_verified is a Boolean", Attrs({{"email_verified", "1"}}), kAdminUpdate, kInvalid,
       "user.email_verified: Boolean must be true or false.\n"},
      {"several, creating", Attrs({{"custom:dept", "abcdefghijk"}, {"custom:age", "x"}}), kAdminCreate,
       kInvalid,
       std::string(kPrefix) + "custom:dept: String must be no longer than 10 characters.\n"
                              "custom:age: Number must be a valid number.\n"},
  });
}

TEST_CASE("rules attributes: email and phone formats") {
  RunCases({
      {"bad email", Attrs({{"email", "not-an-email"}}), kSelfCreate, kInvalid,
       "Invalid email address format."},
      {"email without TLD", Attrs({{"email", "a@b"}}), kAdminUpdate, kInvalid,
       "Invalid email address format."},
      {"phone with spaces", Attrs({{"phone_number", "+1 999-999-9999"}}), kSelfCreate, kInvalid,
       "Invalid phone number format."},
      {"phone without +", Attrs({{"phone_number", "9999999999"}}), kAdminCreate, kInvalid,
       "Invalid phone number format."},
      {"schema errors come first", Attrs({{"email", "bad"}, {"custom:age", "x"}}), kAdminCreate, kInvalid,
       std::string(kPrefix) + "custom:age: Number must be a valid number.\n"},
      {"deleting phone_number is not a format error", Attrs({{"phone_number", ""}}), kAdminUpdate, nullptr,
       R"({"phone_number":""})"},
  });
}

TEST_CASE("rules attributes: required attributes at creation") {
  const json schema = TestSchema();
  struct {
    json values;
    const char* message;  // nullptr: fine
  } cases[] = {
      {json::object(),
       "Attributes did not conform to the schema: given_name: The attribute is required\n"
       "email: The attribute is required\n"},
      {{{"given_name", "Al"}},
       "Attributes did not conform to the schema: email: The attribute is required\n"},
      {{{"given_name", "Al"}, {"email", ""}},
       "Attributes did not conform to the schema: email: The attribute is required\n"},
      {{{"given_name", "Al"}, {"email", "a@b.co"}}, nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.values.dump());
    const auto e = ErrorOf([&] { CheckRequiredAttributes(schema, c.values); });
    if (c.message == nullptr) {
      CHECK_FALSE(e.has_value());
    } else {
      REQUIRE(e.has_value());
      CHECK(e->first == kInvalid);
      CHECK(e->second == c.message);
    }
  }
  // The standard schema requires only sub, which is never asked for.
  CHECK_FALSE(ErrorOf([] { CheckRequiredAttributes(StandardSchema(), json::object()); }).has_value());
}

TEST_CASE("rules attributes: required attributes for NEW_PASSWORD_REQUIRED") {
  const json schema = TestSchema();
  struct {
    json values;
    const char* message;
  } cases[] = {
      {{{"email", "a@b.co"}}, "Invalid attributes given, given_name is missing"},
      {{{"given_name", "Al"}}, "Invalid attributes given, email is missing"},
      {json::object(), "Invalid attributes given, given_name and email is missing"},
      {{{"given_name", "Al"}, {"email", "a@b.co"}}, nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.values.dump());
    const auto e = ErrorOf([&] { CheckRequiredForNewPassword(schema, c.values); });
    if (c.message == nullptr) {
      CHECK_FALSE(e.has_value());
    } else {
      REQUIRE(e.has_value());
      CHECK(e->first == kInvalid);
      CHECK(e->second == c.message);
    }
  }
}

TEST_CASE("rules attributes: what a client may read") {
  const json reads = {"email", "custom:dept"};
  const json not_a_list = "email";
  struct {
    const json* list;
    const char* name;
    bool readable;
  } cases[] = {
      {nullptr, "email", true},      {nullptr, "dev:custom:secret", true}, {&reads, "email", true},
      {&reads, "custom:dept", true}, {&reads, "given_name", false},        {&reads, "email_verified", false},
      {&reads, "sub", true},         {&not_a_list, "given_name", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(ClientCanRead(c.list, c.name) == c.readable);
  }
}

}  // namespace
}  // namespace cogemu::idp::rules
