// ApiError: the one error type of the emulator. Domain code throws it; the dispatcher is the
// one place that catches it and turns it into an AWS JSON 1.1 error response:
//   HTTP <status>, {"__type":"<code>","message":"<message>"},
//   x-amzn-ErrorType: <code>:   x-amzn-ErrorMessage: <message>
// Real Cognito answers every client error with 400 (whatever the Smithy traits say) and
// InternalErrorException with 500, so `status` stays 400 unless a factory says otherwise.
#pragma once

#include <stdexcept>
#include <string>

namespace cogemu {

class ApiError : public std::runtime_error {
 public:
  ApiError(std::string code, std::string message, int status = 400)
      : std::runtime_error(message), code_(std::move(code)), message_(std::move(message)),
        status_(status) {}

  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  int status() const { return status_; }

 private:
  std::string code_;
  std::string message_;
  int status_;
};

// Named factories for the errors every part of the service raises.
namespace errors {

inline ApiError InvalidParameter(std::string m) {
  return ApiError("InvalidParameterException", std::move(m));
}
inline ApiError ResourceNotFound(std::string m) {
  return ApiError("ResourceNotFoundException", std::move(m));
}
inline ApiError NotAuthorized(std::string m) {
  return ApiError("NotAuthorizedException", std::move(m));
}
inline ApiError UserNotFound(std::string m = "User does not exist.") {
  return ApiError("UserNotFoundException", std::move(m));
}
inline ApiError LimitExceeded(std::string m) {
  return ApiError("LimitExceededException", std::move(m));
}
inline ApiError TooManyRequests(std::string m) {
  return ApiError("TooManyRequestsException", std::move(m));
}
inline ApiError Serialization(std::string m) {
  return ApiError("SerializationException", std::move(m));
}
inline ApiError Internal(std::string m) {
  return ApiError("InternalErrorException", std::move(m), 500);
}
// A feature the pool's UserPoolTier does not include (`tier` as the pool has it, `feature` as
// AWS names it, e.g. "Threat Protection").
inline ApiError FeatureUnavailableInTier(const std::string& tier, const std::string& feature) {
  return ApiError("FeatureUnavailableInTierException",
                  "The following features need to be disabled for the " + tier + " pricing tier configured: " + feature);
}
inline ApiError UserPoolNotFound(const std::string& pool_id) {
  return ResourceNotFound("User pool " + pool_id + " does not exist.");
}
inline ApiError UserPoolClientNotFound(const std::string& client_id) {
  return ResourceNotFound("User pool client " + client_id + " does not exist.");
}
// A modeled operation the emulator does not implement yet. 501 is never retried by the SDKs
// (they retry 500/502/503/504), and the body still parses as an AWS error everywhere.
inline ApiError NotImplemented(const std::string& service, const std::string& operation) {
  return ApiError("NotImplementedException",
                  "cognito-emulator does not implement " + service + " operation " + operation +
                      " yet.",
                  501);
}

}  // namespace errors
}  // namespace cogemu
