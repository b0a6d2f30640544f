#include "emulator/api/history.h"

#include <algorithm>
#include <cctype>

namespace cogemu::api {
namespace {

using json = nlohmann::json;

bool Secret(const std::string& name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* marker : {"password", "secret", "token", "session", "code", "srp_a", "signature"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

json RequestHistory::Redact(const json& value) {
  if (value.is_object()) {
    json out = json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (Secret(it.key()) && (it->is_string() || it->is_number())) {
        out[it.key()] = "***";
      } else if (it.key() == "Logins" && it->is_object()) {
        // cognito-identity's Logins: provider name -> token (or developer user identifier).
        json logins = json::object();
        for (auto login = it->begin(); login != it->end(); ++login) logins[login.key()] = "***";
        out[it.key()] = logins;
      } else {
        out[it.key()] = Redact(*it);
      }
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& v : value) out.push_back(Redact(v));
    return out;
  }
  return value;
}

namespace {

constexpr size_t kMaxBody = 64 * 1024;

json Shown(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return body.size() >= kMaxBody ? json("<cut: over 64 KiB>") : json(body);
  return RequestHistory::Redact(parsed);
}

}  // namespace

void RequestHistory::Record(Entry entry) {
  if (entry.input.size() > kMaxBody) entry.input.resize(kMaxBody);
  if (entry.output.size() > kMaxBody) entry.output.resize(kMaxBody);
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) entries_.pop_front();
}

json RequestHistory::List(const std::string& operation, size_t limit) const {
  std::lock_guard lock(mu_);
  json out = json::array();
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < limit; ++it) {
    const Entry& e = *it;
    if (!operation.empty()) {
      const size_t dot = e.operation.find('.');
      if (e.operation != operation && (dot == std::string::npos || e.operation.substr(dot + 1) != operation)) {
        continue;
      }
    }
    json item = {{"requestId", e.request_id}, {"time", e.time},        {"operation", e.operation},
                 {"status", e.status},        {"durationMs", e.duration_ms}, {"input", Shown(e.input)},
                 {"output", Shown(e.output)}};
    if (!e.error.empty()) item["error"] = e.error;
    out.push_back(std::move(item));
  }
  return {{"requests", out}};
}

void RequestHistory::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

}  // namespace cogemu::api
