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

  struct Entry {
    std::string request_id;
    double time = 0;
    std::string operation;
    int status = 0;
    std::string error;
    double duration_ms = 0;
    std::string input;   // the request body as sent
    std::string output;  // the response body as sent
  };
  // Cheap on the request path: bodies are kept as text and parsed and redacted only when listed
  // (bodies over 64 KiB are cut).
  void Record(Entry entry);
  // Newest first; `operation` matches "SignUp" or "cognito-idp.SignUp" (empty: all).
  nlohmann::json List(const std::string& operation, size_t limit) const;
  void Clear();

  // A copy of `value` with every secret replaced by "***": passwords, secrets, tokens, sessions,
  // codes (by member name, at any depth, including AuthParameters/ChallengeResponses keys).
  static nlohmann::json Redact(const nlohmann::json& value);

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::deque<Entry> entries_;
};

}  // namespace cogemu::api
