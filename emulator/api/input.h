// Reading validated input objects. The validator has already checked types and constraints,
// and JSON null means "absent" (amazon-cognito-identity-js sends explicit nulls).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace cogemu::api {

inline bool Has(const nlohmann::json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && !it->is_null();
}

inline const nlohmann::json* Find(const nlohmann::json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && !it->is_null() ? &*it : nullptr;
}

inline std::string Str(const nlohmann::json& obj, std::string_view key,
                       std::string_view fallback = "") {
  const nlohmann::json* v = Find(obj, key);
  return v && v->is_string() ? v->get<std::string>() : std::string(fallback);
}

inline std::optional<std::string> OptStr(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* v = Find(obj, key);
  if (v && v->is_string()) return v->get<std::string>();
  return std::nullopt;
}

inline bool Bool(const nlohmann::json& obj, std::string_view key, bool fallback) {
  const nlohmann::json* v = Find(obj, key);
  return v && v->is_boolean() ? v->get<bool>() : fallback;
}

inline int64_t Int(const nlohmann::json& obj, std::string_view key, int64_t fallback) {
  const nlohmann::json* v = Find(obj, key);
  return v && v->is_number_integer() ? v->get<int64_t>() : fallback;
}

// A copy of `obj` with null members removed, recursively (objects only).
inline nlohmann::json WithoutNulls(const nlohmann::json& obj) {
  if (!obj.is_object()) return obj;
  nlohmann::json out = nlohmann::json::object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!it->is_null()) out[it.key()] = WithoutNulls(*it);
  }
  return out;
}

}  // namespace cogemu::api
