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

void RequestHistory::Record(json entry) {
  if (entry.contains("input")) entry["input"] = Redact(entry["input"]);
  if (entry.contains("output")) entry["output"] = Redact(entry["output"]);
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) entries_.pop_front();
}

json RequestHistory::List(const std::string& operation, size_t limit) const {
  std::lock_guard lock(mu_);
  json out = json::array();
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < limit; ++it) {
    if (!operation.empty()) {
      const std::string op = (*it).value("operation", "");
      const size_t dot = op.find('.');
      if (op != operation && (dot == std::string::npos || op.substr(dot + 1) != operation)) continue;
    }
    out.push_back(*it);
  }
  return {{"requests", out}};
}

void RequestHistory::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

}  // namespace cogemu::api
