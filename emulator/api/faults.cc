#include "emulator/api/faults.h"

#include <stdexcept>

namespace cogemu::api {
namespace {

using json = nlohmann::json;

// The message AWS sends with the errors tests inject most; others get a generic one.
std::string DefaultMessage(const std::string& error) {
  if (error == "TooManyRequestsException") return "Rate exceeded";
  if (error == "LimitExceededException") return "Attempt limit exceeded, please try after some time.";
  if (error == "InternalErrorException") return "Internal server error.";
  if (error == "NotAuthorizedException") return "Incorrect username or password.";
  if (error == "UserNotFoundException") return "User does not exist.";
  return "Injected fault: " + error;
}

// Every member of `pattern` is present in `value` and equal (objects compared recursively).
bool Subset(const json& pattern, const json& value) {
  if (pattern.is_object()) {
    if (!value.is_object()) return false;
    for (auto it = pattern.begin(); it != pattern.end(); ++it) {
      auto v = value.find(it.key());
      if (v == value.end() || !Subset(*it, *v)) return false;
    }
    return true;
  }
  return pattern == value;
}

}  // namespace

json FaultInjector::Fault::ToJson() const {
  json out = {{"id", id}, {"operation", operation}, {"count", remaining}, {"delayMs", delay_ms}};
  if (!error.empty()) {
    out["error"] = error;
    out["message"] = message;
    out["statusCode"] = status;
  }
  if (!match.is_null()) out["match"] = match;
  return out;
}

json FaultInjector::Add(const json& spec) {
  if (!spec.is_object()) throw std::invalid_argument("a fault is a JSON object");
  Fault f;
  if (!spec.contains("operation") || !spec["operation"].is_string() || spec["operation"].get<std::string>().empty()) {
    throw std::invalid_argument("\"operation\" is required: an operation name, service.operation, or \"*\"");
  }
  f.operation = spec["operation"];
  if (spec.contains("error")) {
    if (!spec["error"].is_string() || spec["error"].get<std::string>().empty()) {
      throw std::invalid_argument("\"error\" must be an error name such as TooManyRequestsException");
    }
    f.error = spec["error"];
  }
  f.message = spec.contains("message") && spec["message"].is_string() ? spec["message"].get<std::string>()
                                                                     : DefaultMessage(f.error);
  f.status = f.error == "InternalErrorException" ? 500 : 400;
  if (spec.contains("statusCode")) {
    if (!spec["statusCode"].is_number_integer() || spec["statusCode"] < 300 || spec["statusCode"] > 599) {
      throw std::invalid_argument("\"statusCode\" must be an HTTP error status (300-599)");
    }
    f.status = spec["statusCode"];
  }
  if (spec.contains("count")) {
    if (!spec["count"].is_number_integer() || spec["count"] == 0 || spec["count"] < -1) {
      throw std::invalid_argument("\"count\" must be a positive number, or -1 for until removed");
    }
    f.remaining = spec["count"];
  }
  if (spec.contains("delayMs")) {
    if (!spec["delayMs"].is_number_integer() || spec["delayMs"] < 0 || spec["delayMs"] > 600000) {
      throw std::invalid_argument("\"delayMs\" must be 0 to 600000");
    }
    f.delay_ms = spec["delayMs"];
  }
  if (f.error.empty() && f.delay_ms == 0) {
    throw std::invalid_argument("a fault needs an \"error\", a \"delayMs\", or both");
  }
  if (spec.contains("match")) {
    if (!spec["match"].is_object()) throw std::invalid_argument("\"match\" must be an object of input members");
    f.match = spec["match"];
  }
  std::lock_guard lock(mu_);
  f.id = "fault-" + std::to_string(next_id_++);
  faults_.push_back(f);
  return f.ToJson();
}

json FaultInjector::List() const {
  std::lock_guard lock(mu_);
  json out = json::array();
  for (const auto& f : faults_) out.push_back(f.ToJson());
  return {{"faults", out}};
}

bool FaultInjector::Remove(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->id == id) {
      faults_.erase(it);
      return true;
    }
  }
  return false;
}

size_t FaultInjector::Clear() {
  std::lock_guard lock(mu_);
  const size_t n = faults_.size();
  faults_.clear();
  return n;
}

std::optional<FaultInjector::Hit> FaultInjector::Match(std::string_view service, std::string_view operation,
                                                       const json& input) {
  std::lock_guard lock(mu_);
  if (faults_.empty()) return std::nullopt;
  const std::string qualified = std::string(service) + "." + std::string(operation);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->operation != "*" && it->operation != operation && it->operation != qualified) continue;
    if (!it->match.is_null() && !Subset(it->match, input)) continue;
    Hit hit;
    hit.delay_ms = it->delay_ms;
    if (!it->error.empty()) hit.error = ApiError(it->error, it->message, it->status);
    if (it->remaining > 0 && --it->remaining == 0) faults_.erase(it);
    return hit;
  }
  return std::nullopt;
}

}  // namespace cogemu::api
