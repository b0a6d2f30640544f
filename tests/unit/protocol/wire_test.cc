#include "emulator/protocol/wire.h"

#include <doctest/doctest.h>

namespace cogemu::protocol {
namespace {

std::string HeaderValue(const WireResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

TEST_CASE("wire: X-Amz-Target splits into prefix and operation") {
  struct Case {
    const char* header;
    bool ok;
    const char* prefix;
    const char* op;
  } cases[] = {
      {"AWSCognitoIdentityProviderService.SignUp", true, "AWSCognitoIdentityProviderService", "SignUp"},
      {"AWSCognitoIdentityService.GetId", true, "AWSCognitoIdentityService", "GetId"},
      {"", false, "", ""},
      {"NoDot", false, "", ""},
      {".Op", false, "", ""},
      {"Prefix.", false, "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.header);
    auto t = ParseTarget(c.header);
    CHECK(t.has_value() == c.ok);
    if (t && c.ok) {
      CHECK(t->prefix == c.prefix);
      CHECK(t->operation == c.op);
    }
  }
}

TEST_CASE("wire: SigV4 credential scope gives access key and region") {
  auto c = ParseSigV4Credential(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/eu-west-2/cognito-idp/aws4_request, "
      "SignedHeaders=content-type;host, Signature=abc");
  REQUIRE(c);
  CHECK(c->access_key == "AKIDEXAMPLE");
  CHECK(c->date == "20261122");
  CHECK(c->region == "eu-west-2");
  CHECK(c->service == "cognito-idp");
  CHECK_FALSE(ParseSigV4Credential(""));
  CHECK_FALSE(ParseSigV4Credential("Bearer xyz"));
  CHECK_FALSE(ParseSigV4Credential("AWS4-HMAC-SHA256 Credential=AKID/2026"));
}

TEST_CASE("wire: request bodies must be bounded JSON objects") {
  CHECK(ParseRequestBody("") == nlohmann::json::object());
  CHECK(ParseRequestBody("  \n") == nlohmann::json::object());
  CHECK(ParseRequestBody(R"({"A":1})")["A"] == 1);
  struct Case {
    std::string body;
    const char* message_prefix;
  } bad[] = {
      {"{", "Malformed JSON: "},
      {"{\"a\":}", "Malformed JSON: "},
      {"[]", "Start of list found where not expected"},
      {"\"text\"", "Expected start of structure or map."},
      {"42", "Expected start of structure or map."},
      {std::string(100, '[') + std::string(100, ']'), "JSON nested too deeply"},
      {"{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}", "JSON nested too deeply"},
      {"{\"bad\":\"\xff\"}", "Malformed JSON: "},
  };
  for (const auto& c : bad) {
    CAPTURE(c.body);
    try {
      ParseRequestBody(c.body);
      FAIL("expected an error");
    } catch (const ApiError& e) {
      CHECK(e.code() == "SerializationException");
      CHECK(e.status() == 400);
      CHECK(e.message().rfind(c.message_prefix, 0) == 0);
    }
  }
}

TEST_CASE("wire: a million nested brackets are refused without exhausting the stack") {
  std::string deep(1000000, '[');
  CHECK_THROWS_AS(ParseRequestBody(deep), ApiError);
}

TEST_CASE("wire: errors are shaped as AWS sends them") {
  WireResponse r = Error(errors::NotAuthorized("Incorrect username or password."), "req-1");
  CHECK(r.status == 400);
  CHECK(r.body == R"({"__type":"NotAuthorizedException","message":"Incorrect username or password."})");
  CHECK(HeaderValue(r, "x-amzn-ErrorType") == "NotAuthorizedException:");
  CHECK(HeaderValue(r, "x-amzn-ErrorMessage") == "Incorrect username or password.");
  CHECK(HeaderValue(r, "x-amzn-RequestId") == "req-1");

  WireResponse internal = Error(errors::Internal("boom"), "req-2");
  CHECK(internal.status == 500);
  CHECK(internal.body == R"({"__type":"InternalErrorException","message":"boom"})");

  // Header values never carry line breaks.
  WireResponse multiline = Error(errors::InvalidParameter("a\r\nb"), "r");
  CHECK(HeaderValue(multiline, "x-amzn-ErrorMessage") == "a  b");
}

TEST_CASE("wire: success always has a body") {
  CHECK(Success(nlohmann::json::object(), "r").body == "{}");
  CHECK(Success(nullptr, "r").body == "{}");
  CHECK(Success({{"UserSub", "x"}}, "r").body == R"({"UserSub":"x"})");
}

}  // namespace
}  // namespace cogemu::protocol
