// Fault injection for tests: make matching calls fail exactly as AWS would send an error, or
// slow down. Faults are matched after validation, in the order they were added. Thread-safe.
//
// Spec (POST /_emulator/faults): {"operation": "SignUp" | "cognito-idp.SignUp" | "*",
//   "error"?: "TooManyRequestsException", "message"?: "...", "statusCode"?: 400,
//   "count"?: 1 (-1 = until removed), "delayMs"?: 0, "match"?: {<input member>: <value>, ...}}
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/api/error.h"

namespace cogemu::api {

class FaultInjector {
 public:
  // Adds a fault; returns it with its "id". Throws std::invalid_argument for a bad spec.
  nlohmann::json Add(const nlohmann::json& spec);
  nlohmann::json List() const;  // {"faults":[...]}
  bool Remove(const std::string& id);
  size_t Clear();

  struct Hit {
    std::optional<ApiError> error;
    int64_t delay_ms = 0;
  };
  // The first fault matching this call, with one use consumed; nullopt if none.
  std::optional<Hit> Match(std::string_view service, std::string_view operation, const nlohmann::json& input);

 private:
  struct Fault {
    std::string id;
    std::string operation;
    std::string error;
    std::string message;
    int status = 400;
    int64_t remaining = 1;
    int64_t delay_ms = 0;
    nlohmann::json match;
    nlohmann::json ToJson() const;
  };
  mutable std::mutex mu_;
  std::vector<Fault> faults_;
  uint64_t next_id_ = 1;
};

}  // namespace cogemu::api
