// Request history for debugging a failing test: the most recent calls (a ring of `capacity`),
// with their inputs and results, secrets redacted. Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace cogemu::api {

class RequestHistory {
 public:
  explicit RequestHistory(size_t capacity = 1000) : capacity_(capacity) {}

  // `entry`: {"requestId","time","operation","status","error"?,"durationMs","input","output"}.
  // Input and output are redacted here.
  void Record(nlohmann::json entry);
  // Newest first; `operation` matches "SignUp" or "cognito-idp.SignUp" (empty: all).
  nlohmann::json List(const std::string& operation, size_t limit) const;
  void Clear();

  // A copy of `value` with every secret replaced by "***": passwords, secrets, tokens, sessions,
  // codes (by member name, at any depth, including AuthParameters/ChallengeResponses keys).
  static nlohmann::json Redact(const nlohmann::json& value);

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::deque<nlohmann::json> entries_;
};

}  // namespace cogemu::api
