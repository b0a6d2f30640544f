#include "emulator/protocol/validator.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "emulator/protocol/model.h"

namespace cogemu::protocol {
namespace {

constexpr const char* kValid = "";
constexpr const char* kInvalid = "InvalidParameterException";
constexpr const char* kSerialization = "SerializationException";

struct Case {
  const char* operation;
  std::string input;    // request body, JSON text
  const char* code;     // kValid: no failure expected
  std::string message;  // exact
};

void Run(const ServiceModel& model, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.operation);
    CAPTURE(c.input);
    const Operation* op = model.FindOperation(c.operation);
    REQUIRE(op != nullptr);
    const auto result = ValidateInput(*op, nlohmann::json::parse(c.input));
    if (std::string(c.code).empty()) {
      CHECK_MESSAGE(!result.has_value(), (result ? result->code + ": " + result->message : ""));
      continue;
    }
    REQUIRE(result.has_value());
    CHECK(result->code == c.code);
    CHECK(result->message == c.message);
  }
}

const std::string kPoolPattern = R"([\w-]+_[0-9a-zA-Z]+)";
const std::string kUsernamePattern = R"([\p{L}\p{M}\p{S}\p{N}\p{P}]+)";

TEST_CASE("validator: required, pattern, length, enum") {
  Run(IdpModel(), {
      {"DescribeUserPool", R"({"UserPoolId":"us-east-1_AbC123xyz"})", kValid, ""},
      {"DescribeUserPool", R"({"UserPoolId":"YOUR-USER-POOL-ID"})", kInvalid,
       "1 validation error detected: Value 'YOUR-USER-POOL-ID' at 'userPoolId' failed to satisfy "
       "constraint: Member must satisfy regular expression pattern: " + kPoolPattern},
      // Java's [\w-]+_[0-9a-zA-Z]+ does match this placeholder: greedy [\w-]+ takes
      // "YOUR_USER_POOL", then "_ID".
      {"DescribeUserPool", R"({"UserPoolId":"YOUR_USER_POOL_ID"})", kValid, ""},
      {"DescribeUserPool", R"({"UserPoolId":"bad pool"})", kInvalid,
       "1 validation error detected: Value 'bad pool' at 'userPoolId' failed to satisfy "
       "constraint: Member must satisfy regular expression pattern: " + kPoolPattern},
      {"DescribeUserPool", "{}", kInvalid,
       "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: "
       "Member must not be null"},
      {"DescribeUserPool", R"({"UserPoolId":null})", kInvalid,
       "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: "
       "Member must not be null"},
      // Member names are case-sensitive: "userPoolId" is an unknown member, so it is ignored.
      {"DescribeUserPool", R"({"userPoolId":"us-east-1_abc"})", kInvalid,
       "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: "
       "Member must not be null"},
      {"DescribeUserPool", R"({"UserPoolId":""})", kInvalid,
       "2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: "
       "Member must have length greater than or equal to 1; Value '' at 'userPoolId' failed to "
       "satisfy constraint: Member must satisfy regular expression pattern: " + kPoolPattern},
      {"DescribeUserPool", R"({"UserPoolId":"us-east-1_)" + std::string(46, 'a') + R"("})", kInvalid,
       "1 validation error detected: Value 'us-east-1_" + std::string(46, 'a') +
           "' at 'userPoolId' failed to satisfy constraint: Member must have length less than "
           "or equal to 55"},
      {"DescribeUserPool", R"({"UserPoolId":"us-east-1_)" + std::string(45, 'a') + R"("})", kValid, ""},
      {"AdminCreateUser", R"({"UserPoolId":"us-east-1_abc","Username":"bob","MessageAction":"SURPRESS"})",
       kInvalid,
       "1 validation error detected: Value 'SURPRESS' at 'messageAction' failed to satisfy "
       "constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]"},
      {"AdminCreateUser", R"({"UserPoolId":"us-east-1_abc","Username":"bob","MessageAction":"SUPPRESS"})",
       kValid, ""},
      {"AdminGetUser", R"({"UserPoolId":"bad pool","Username":""})", kInvalid,
       "3 validation errors detected: Value 'bad pool' at 'userPoolId' failed to satisfy "
       "constraint: Member must satisfy regular expression pattern: " + kPoolPattern +
           "; Value at 'username' failed to satisfy constraint: Member must have length greater "
           "than or equal to 1; Value at 'username' failed to satisfy constraint: Member must "
           "satisfy regular expression pattern: " + kUsernamePattern},
      {"AdminGetUser", "{}", kInvalid,
       "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: "
       "Member must not be null; Value null at 'username' failed to satisfy constraint: Member must "
       "not be null"},
  });
}

TEST_CASE("validator: sensitive values are left out") {
  Run(IdpModel(), {
      {"SignUp", R"({"ClientId":"abc","Username":"bob","Password":""})", kInvalid,
       "1 validation error detected: Value at 'password' failed to satisfy constraint: Member "
       "must satisfy regular expression pattern: [\\S]+"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","Password":"has space"})", kInvalid,
       "1 validation error detected: Value at 'password' failed to satisfy constraint: Member "
       "must satisfy regular expression pattern: [\\S]+"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","Password":")" + std::string(257, 'p') + R"("})",
       kInvalid,
       "1 validation error detected: Value at 'password' failed to satisfy constraint: Member "
       "must have length less than or equal to 256"},
      {"SignUp", R"({"Username":"bob","Password":"Passw0rd!"})", kInvalid,
       "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member "
       "must not be null"},
      {"ChangePassword", R"({"PreviousPassword":"old","AccessToken":"t"})", kInvalid,
       "1 validation error detected: Value null at 'proposedPassword' failed to satisfy constraint: "
       "Member must not be null"},
      // Sensitive enclosing structure: its members' values are hidden too.
      {"InitiateAuth",
       R"({"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"abc","UserContextData":{"IpAddress":")" +
           std::string(131073, 'x') + R"("}})",
       kInvalid,
       "1 validation error detected: Value at 'userContextData.ipAddress' failed to satisfy "
       "constraint: Member must have length less than or equal to 131072"},
      {"InitiateAuth", R"({"AuthFlow":"NOPE","ClientId":"abc"})", kInvalid,
       "1 validation error detected: Value 'NOPE' at 'authFlow' failed to satisfy constraint: "
       "Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, "
       "CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"},
  });
}

TEST_CASE("validator: list elements, maps and nested paths") {
  Run(IdpModel(), {
      {"SignUp",
       R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":"email","Value":"a@b.c"},{"Name":")" +
           std::string(33, 'n') + R"(","Value":"x"}]})",
       kInvalid,
       "1 validation error detected: Value '" + std::string(33, 'n') +
           "' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must have "
           "length less than or equal to 32"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Value":"x"}]})", kInvalid,
       "1 validation error detected: Value null at 'userAttributes.1.member.name' failed to "
       "satisfy constraint: Member must not be null"},
      {"SignUp",
       R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":"email","Value":")" +
           std::string(2049, 'v') + R"("}]})",
       kInvalid,
       "1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy "
       "constraint: Member must have length less than or equal to 2048"},
      {"SignUp",
       R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":""}],"ValidationData":[{"Value":"v"}]})",
       kInvalid,
       "3 validation errors detected: Value '' at 'userAttributes.1.member.name' failed to "
       "satisfy constraint: Member must have length greater than or equal to 1; Value '' at "
       "'userAttributes.1.member.name' failed to satisfy constraint: Member must satisfy regular "
       "expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+; Value null at "
       "'validationData.1.member.name' failed to satisfy constraint: Member must not be null"},
      // A list of scalars is reported once, at the list, with every element constraint.
      {"AdminCreateUser",
       R"({"UserPoolId":"us-east-1_abc","Username":"bob","DesiredDeliveryMediums":["SMS","FAX"]})",
       kInvalid,
       "1 validation error detected: Value '[SMS, FAX]' at 'desiredDeliveryMediums' failed to "
       "satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
       "[SMS, EMAIL]]"},
      // A null element is refused, never stored (a stored [null] broke later calls).
      {"AdminCreateUser",
       R"({"UserPoolId":"us-east-1_abc","Username":"bob","DesiredDeliveryMediums":["SMS",null,"EMAIL"]})",
       kInvalid,
       "1 validation error detected: Value '[SMS, null, EMAIL]' at 'desiredDeliveryMediums' failed to "
       "satisfy constraint: Member must satisfy constraint: [Member must not be null]"},
      {"CreateUserPoolClient", R"({"UserPoolId":"us-east-1_abc","ClientName":"c","ExplicitAuthFlows":[null]})",
       kInvalid,
       "1 validation error detected: Value '[null]' at 'explicitAuthFlows' failed to satisfy "
       "constraint: Member must satisfy constraint: [Member must not be null]"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":"email","Value":"a@b.c"},null]})",
       kInvalid,
       "1 validation error detected: Value null at 'userAttributes.2.member' failed to satisfy "
       "constraint: Member must not be null"},
      {"AdminDeleteUserAttributes",
       R"({"UserPoolId":"us-east-1_abc","Username":"bob","UserAttributeNames":["email",""]})", kInvalid,
       "1 validation error detected: Value '[email, ]' at 'userAttributeNames' failed to satisfy "
       "constraint: Member must satisfy constraint: [Member must have length less than or equal "
       "to 32, Member must have length greater than or equal to 1, Member must satisfy regular "
       "expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+]"},
      // Map keys / values.
      {"CreateUserPool", R"({"PoolName":"p","UserPoolTags":{"":"v"}})", kInvalid,
       "1 validation error detected: Value '{=v}' at 'userPoolTags' failed to satisfy constraint: "
       "Map keys must satisfy constraint: [Member must have length less than or equal to 128, "
       "Member must have length greater than or equal to 1]"},
      {"CreateUserPool", R"({"PoolName":"p","UserPoolTags":{"k":")" + std::string(257, 'v') + R"("}})",
       kInvalid,
       "1 validation error detected: Value '{k=" + std::string(257, 'v') +
           "}' at 'userPoolTags' failed to satisfy constraint: Map value must satisfy constraint: "
           "[Member must have length less than or equal to 256, Member must have length greater "
           "than or equal to 0]"},
      // A null map value is absent (amazon-cognito-identity-js sends ChallengeResponses with
      // "DEVICE_KEY": null).
      {"CreateUserPool", R"({"PoolName":"p","UserPoolTags":{"k":null}})", kValid, ""},
  });
}

TEST_CASE("validator: number ranges") {
  Run(IdpModel(), {
      {"ListUserPools", R"({"MaxResults":60})", kValid, ""},
      {"ListUserPools", R"({"MaxResults":1,"NextToken":"abc"})", kValid, ""},
      {"ListUserPools", R"({"MaxResults":10.0})", kValid, ""},
      {"ListUserPools", R"({"MaxResults":0})", kInvalid,
       "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
       "Member must have value greater than or equal to 1"},
      {"ListUserPools", R"({"MaxResults":61})", kInvalid,
       "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: "
       "Member must have value less than or equal to 60"},
      {"ListUserPools", R"({"MaxResults":-5})", kInvalid,
       "1 validation error detected: Value '-5' at 'maxResults' failed to satisfy constraint: "
       "Member must have value greater than or equal to 1"},
      {"ListUserPools", "{}", kInvalid,
       "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: "
       "Member must not be null"},
      // Beyond int32: AWS reports the range violation without the value.
      {"ListUserPools", R"({"MaxResults":99999999999})", kInvalid,
       "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member "
       "must have value less than or equal to 60"},
      {"ListUserPools", R"({"MaxResults":-99999999999})", kInvalid,
       "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member "
       "must have value greater than or equal to 1"},
      {"ListUserPools", R"({"MaxResults":10,"NextToken":""})", kInvalid,
       "2 validation errors detected: Value '' at 'nextToken' failed to satisfy constraint: "
       "Member must have length greater than or equal to 1; Value '' at 'nextToken' failed to "
       "satisfy constraint: Member must satisfy regular expression pattern: [\\S]+"},
  });
}

TEST_CASE("validator: type mismatches are SerializationExceptions") {
  Run(IdpModel(), {
      {"ListUserPools", R"({"MaxResults":"10"})", kSerialization,
       "STRING_VALUE can not be converted to an Integer"},
      {"ListUserPools", R"({"MaxResults":true})", kSerialization,
       "TRUE_VALUE can not be converted to an Integer"},
      {"ListUserPools", R"({"MaxResults":false})", kSerialization,
       "FALSE_VALUE can not be converted to an Integer"},
      {"ListUserPools", R"({"MaxResults":1.5})", kSerialization,
       "DECIMAL_VALUE can not be converted to an Integer"},
      {"ListUserPools", R"({"MaxResults":[1]})", kSerialization,
       "Start of list found where not expected"},
      {"ListUserPools", R"({"MaxResults":{"a":1}})", kSerialization,
       "Start of structure or map found where not expected."},
      {"ListUserPools", R"({"MaxResults":10,"NextToken":5})", kSerialization,
       "NUMBER_VALUE can not be converted to a String"},
      {"ListUserPools", R"({"MaxResults":10,"NextToken":true})", kSerialization,
       "TRUE_VALUE can not be converted to a String"},
      {"ListUserPools", R"({"MaxResults":10,"NextToken":false})", kSerialization,
       "FALSE_VALUE can not be converted to a String"},
      // A type error beats any constraint violation.
      {"ListUserPools", R"({"MaxResults":0,"NextToken":5})", kSerialization,
       "NUMBER_VALUE can not be converted to a String"},
      {"AdminGetUser", R"({"Username":7})", kSerialization,
       "NUMBER_VALUE can not be converted to a String"},
      {"AdminCreateUser",
       R"({"UserPoolId":"us-east-1_abc","Username":"bob","ForceAliasCreation":"yes"})",
       kSerialization, "STRING_VALUE can not be converted to a Boolean"},
      {"AdminCreateUser",
       R"({"UserPoolId":"us-east-1_abc","Username":"bob","ForceAliasCreation":1})",
       kSerialization, "NUMBER_VALUE can not be converted to a Boolean"},
      {"AdminCreateUser",
       R"({"UserPoolId":"us-east-1_abc","Username":"bob","DesiredDeliveryMediums":[1]})",
       kSerialization, "NUMBER_VALUE can not be converted to a String"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":"email"})", kSerialization,
       "Expected list or null"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":{"Name":"email"}})",
       kSerialization, "Expected list or null"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":["email"]})", kSerialization,
       "Expected null"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","AnalyticsMetadata":"x"})", kSerialization,
       "Expected null"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","ClientMetadata":["x"]})", kSerialization,
       "Expected map or null"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","ClientMetadata":{"k":1}})", kSerialization,
       "NUMBER_VALUE can not be converted to a String"},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":{"x":1}}]})",
       kSerialization, "Start of structure or map found where not expected."},
      {"SignUp", R"({"ClientId":["abc"],"Username":"bob"})", kSerialization,
       "Start of list found where not expected"},
      // The request body itself.
      {"DescribeUserPool", "[]", kSerialization, "Start of list found where not expected"},
      {"DescribeUserPool", "null", kSerialization, ""},
      {"DescribeUserPool", R"("x")", kSerialization, ""},
  });
}

TEST_CASE("validator: null is absent, unknown members are ignored") {
  Run(IdpModel(), {
      {"SignUp", R"({"ClientId":"abc","Username":"bob","Password":"Passw0rd!","ValidationData":null})",
       kValid, ""},
      {"SignUp",
       R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":"email","Value":null}],"SecretHash":null})",
       kValid, ""},
      {"DescribeUserPool", R"({"UserPoolId":"us-east-1_abc","Bogus":{"x":[1,{"y":null}]},"Extra":5})",
       kValid, ""},
      {"CompleteWebAuthnRegistration", R"({"AccessToken":"t","Credential":{"any":["json",1,true]}})",
       kValid, ""},
  });
}

TEST_CASE("validator: Unicode lengths count UTF-16 code units") {
  CHECK(Utf16Length("") == 0);
  CHECK(Utf16Length("abc") == 3);
  CHECK(Utf16Length("é") == 1);        // 2 bytes
  CHECK(Utf16Length("日本") == 2);      // 3 bytes each
  CHECK(Utf16Length("😀") == 2);       // 4 bytes, a surrogate pair
  CHECK(Utf16Length("a😀é") == 4);

  std::string emoji16, emoji17, accents32;
  for (int i = 0; i < 16; ++i) emoji16 += "😀";
  emoji17 = emoji16 + "😀";
  for (int i = 0; i < 32; ++i) accents32 += "é";
  Run(IdpModel(), {
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":")" + emoji16 + R"("}]})",
       kValid, ""},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":")" + accents32 + R"("}]})",
       kValid, ""},
      {"SignUp", R"({"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":")" + emoji17 + R"("}]})",
       kInvalid,
       "1 validation error detected: Value '" + emoji17 +
           "' at 'userAttributes.1.member.name' failed to satisfy constraint: Member must have "
           "length less than or equal to 32"},
  });
}

TEST_CASE("validator: cognito-identity operations") {
  Run(IdentityModel(), {
      {"DescribeIdentityPool", R"({"IdentityPoolId":"us-east-1:0f1e2d3c-aaaa-bbbb-cccc-123456789abc"})",
       kValid, ""},
      {"DescribeIdentityPool", R"({"IdentityPoolId":"bad"})", kInvalid,
       "1 validation error detected: Value 'bad' at 'identityPoolId' failed to satisfy "
       "constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"},
      {"DescribeIdentityPool", "{}", kInvalid,
       "1 validation error detected: Value null at 'identityPoolId' failed to satisfy "
       "constraint: Member must not be null"},
      // The map value shape (IdentityProviderToken) is sensitive: the map is not shown.
      {"GetId",
       R"({"IdentityPoolId":"us-east-1:0f1e","Logins":{"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc":""}})",
       kInvalid,
       "1 validation error detected: Value at 'logins' failed to satisfy constraint: Map value "
       "must satisfy constraint: [Member must have length less than or equal to 50000, Member "
       "must have length greater than or equal to 1]"},
      {"GetId", R"({"IdentityPoolId":"us-east-1:0f1e","AccountId":"12ab"})", kInvalid,
       "1 validation error detected: Value '12ab' at 'accountId' failed to satisfy constraint: "
       "Member must satisfy regular expression pattern: \\d+"},
      {"GetOpenIdTokenForDeveloperIdentity",
       R"({"IdentityPoolId":"us-east-1:0f1e","Logins":{"login.dev":"u1"},"TokenDuration":86401})",
       kInvalid,
       "1 validation error detected: Value '86401' at 'tokenDuration' failed to satisfy "
       "constraint: Member must have value less than or equal to 86400"},
      {"GetOpenIdTokenForDeveloperIdentity",
       R"({"IdentityPoolId":"us-east-1:0f1e","Logins":{"login.dev":"u1"},"TokenDuration":"60"})",
       kSerialization, "STRING_VALUE can not be converted to a Long"},
      {"GetOpenIdTokenForDeveloperIdentity",
       R"({"IdentityPoolId":"us-east-1:0f1e","Logins":{"login.dev":"u1"},"TokenDuration":99999999999})",
       kInvalid,
       "1 validation error detected: Value '99999999999' at 'tokenDuration' failed to satisfy "
       "constraint: Member must have value less than or equal to 86400"},
      {"SetIdentityPoolRoles",
       R"({"IdentityPoolId":"us-east-1:0f1e","Roles":{"admin":"arn:aws:iam::123456789012:role/x"}})",
       kInvalid,
       "1 validation error detected: Value '{admin=arn:aws:iam::123456789012:role/x}' at 'roles' "
       "failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length "
       "less than or equal to 128, Member must have length greater than or equal to 1, Member "
       "must satisfy regular expression pattern: (un)?authenticated]"},
      // Structure values of a map: "<map>.<key>.member.<field>".
      {"SetIdentityPoolRoles",
       R"({"IdentityPoolId":"us-east-1:0f1e","Roles":{},"RoleMappings":{"graph.facebook.com":{}}})",
       kInvalid,
       "1 validation error detected: Value null at 'roleMappings.graph.facebook.com.member.type' "
       "failed to satisfy constraint: Member must not be null"},
  });
}

TEST_CASE("validator: every operation survives every kind of value in every member") {
  const char* values[] = {"null", "\"\"", "\"x\"", "0", "-1", "1.5", "1e300", "18446744073709551615",
                          "true", "[]", "{}", "[null]", "[\"x\"]", "[1]", "[{}]", "[[]]",
                          "{\"k\":\"v\"}", "{\"k\":{}}", "{\"k\":[]}", "{\"\":null}"};
  size_t calls = 0;
  for (const ServiceModel* model : {&IdpModel(), &IdentityModel()}) {
    for (const auto& op : model->operations()) {
      CAPTURE(op->name);
      REQUIRE(op->input != nullptr);
      const auto empty = ValidateInput(*op, nlohmann::json::object());
      size_t required = 0;
      for (const Member& m : op->input->members) required += m.required ? 1 : 0;
      CHECK(empty.has_value() == (required > 0));
      for (const Member& m : op->input->members) {
        for (const char* v : values) {
          const auto input = nlohmann::json::parse("{\"" + m.name + "\":" + v + "}");
          const auto result = ValidateInput(*op, input);
          ++calls;
          if (!result) continue;
          CAPTURE(m.name);
          CAPTURE(v);
          CHECK((result->code == kInvalid || result->code == kSerialization));
          CHECK_FALSE(result->message.empty());
        }
      }
    }
  }
  CHECK(calls > 10000);
}

// Ordering and rendering rules that the Cognito models cannot show: violations follow model
// member order (not alphabetical), double bounds print as Java does, structures render as
// {Name=value} with sensitive members redacted, and a sensitive structure hides its members.
TEST_CASE("validator: model order, doubles, rendering (hand-written model)") {
  const auto model = ServiceModel::Parse(R"({
    "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "svc", "targetPrefix": "Svc"},
    "operations": {"Op": {"name": "Op", "input": {"shape": "Req"}}},
    "shapes": {
      "Req": {"type": "structure", "required": ["Zeta"],
              "members": {"Zeta": {"shape": "Name"}, "Alpha": {"shape": "Name"},
                          "Ratio": {"shape": "Ratio"}, "Items": {"shape": "Items"},
                          "Secret": {"shape": "Secret"}, "Count": {"shape": "Count"}}},
      "Name": {"type": "string", "min": 2},
      "Ratio": {"type": "double", "min": 0, "max": 1},
      "Count": {"type": "integer"},
      "Items": {"type": "list", "member": {"shape": "Item"}, "max": 1},
      "Item": {"type": "structure", "members": {"Key": {"shape": "Name"}, "Token": {"shape": "Token"}}},
      "Token": {"type": "string", "sensitive": true},
      "Secret": {"type": "structure", "sensitive": true, "required": ["Inner"],
                 "members": {"Inner": {"shape": "Name"}}}
    }
  })");
  Run(*model, {
      {"Op", R"({"Alpha":"a"})", kInvalid,
       "2 validation errors detected: Value null at 'zeta' failed to satisfy constraint: Member "
       "must not be null; Value 'a' at 'alpha' failed to satisfy constraint: Member must have "
       "length greater than or equal to 2"},
      {"Op", R"({"Zeta":"zz","Ratio":1.5})", kInvalid,
       "1 validation error detected: Value '1.5' at 'ratio' failed to satisfy constraint: Member "
       "must have value less than or equal to 1.0"},
      {"Op", R"({"Zeta":"zz","Ratio":"x"})", kSerialization,
       "STRING_VALUE can not be converted to a Double"},
      {"Op", R"({"Zeta":"zz","Items":[{"Key":"k1","Token":"t"},{"Key":"k2"}]})", kInvalid,
       "1 validation error detected: Value '[{Key=k1, Token=*** Sensitive Data Redacted ***}, "
       "{Key=k2}]' at 'items' failed to satisfy constraint: Member must have length less than or "
       "equal to 1"},
      {"Op", R"({"Zeta":"zz","Secret":{}})", kInvalid,
       "1 validation error detected: Value null at 'secret.inner' failed to satisfy constraint: "
       "Member must not be null"},
      {"Op", R"({"Zeta":"zz","Secret":{"Inner":"x"}})", kInvalid,
       "1 validation error detected: Value at 'secret.inner' failed to satisfy constraint: "
       "Member must have length greater than or equal to 2"},
      {"Op", R"({"Zeta":"zz","Count":2147483647})", kValid, ""},
      {"Op", R"({"Zeta":"zz","Count":2147483648})", kSerialization,
       "NUMBER_VALUE can not be converted to an Integer"},
  });
}

}  // namespace
}  // namespace cogemu::protocol
