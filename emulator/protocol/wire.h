// AWS JSON 1.1 on the wire, with no HTTP library and no Cognito rules in sight: target parsing,
// SigV4 credential-scope parsing, bounded JSON parsing of request bodies, and the exact shape
// of success and error responses.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/api/error.h"

namespace cogemu::protocol {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct WireResponse {
  int status = 200;
  std::string body;
  Headers headers;
  std::string error_code;  // empty on success; for the request log
};

// "AWSCognitoIdentityProviderService.SignUp" -> {prefix, operation}.
struct Target {
  std::string prefix;
  std::string operation;
};
std::optional<Target> ParseTarget(std::string_view header);

// From "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/cognito-idp/aws4_request, ...".
struct Credential {
  std::string access_key;
  std::string date;
  std::string region;
  std::string service;
};
std::optional<Credential> ParseSigV4Credential(std::string_view authorization);

// The request body as a JSON object. An empty body reads as {}. Anything else that is not a
// JSON object, or is nested deeper than `max_depth`, throws ApiError SerializationException.
inline constexpr int kMaxJsonDepth = 32;
nlohmann::json ParseRequestBody(std::string_view body, int max_depth = kMaxJsonDepth);

// Serialises a JSON value for the wire (invalid UTF-8 replaced, never throws for valid json).
std::string Dump(const nlohmann::json& value);

WireResponse Success(const nlohmann::json& output, const std::string& request_id);
// {"__type":code,"message":message} with x-amzn-ErrorType "<code>:" and x-amzn-ErrorMessage.
WireResponse Error(const ApiError& error, const std::string& request_id);

inline constexpr std::string_view kAmzJson11 = "application/x-amz-json-1.1";

}  // namespace cogemu::protocol
