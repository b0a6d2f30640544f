// Role resolution rules (see roles.h).
#include "emulator/identity/rules/roles.h"

#include <algorithm>

namespace cogemu::identity::rules {
namespace {

using json = nlohmann::json;

std::string Text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

RoleResult Configured(const json& roles, const char* which) {
  auto it = roles.find(which);
  if (it == roles.end() || !it->is_string() || it->get<std::string>().empty())
    return {RoleOutcome::kNoRole, ""};
  return {RoleOutcome::kRole, it->get<std::string>()};
}

RoleResult Ambiguous(const json& roles, const json& mapping) {
  if (mapping.value("AmbiguousRoleResolution", "AuthenticatedRole") == "Deny")
    return {RoleOutcome::kAmbiguousDenied, ""};
  return Configured(roles, "authenticated");
}

bool ValueMatches(const std::string& type, const std::string& claim, const std::string& value) {
  if (type == "Equals") return claim == value;
  if (type == "Contains") return claim.find(value) != std::string::npos;
  if (type == "StartsWith") return claim.rfind(value, 0) == 0;
  return false;
}

}  // namespace

bool RuleMatches(const json& rule, const json& claims) {
  const std::string name = rule.value("Claim", "");
  const std::string type = rule.value("MatchType", "");
  const std::string value = rule.value("Value", "");
  auto it = claims.find(name);
  if (it == claims.end() || it->is_null()) return false;
  std::vector<std::string> values;
  if (it->is_array()) {
    for (const auto& v : *it) values.push_back(Text(v));
  } else {
    values.push_back(Text(*it));
  }
  if (type == "NotEqual")
    return std::none_of(values.begin(), values.end(), [&](const std::string& v) { return v == value; });
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& v) { return ValueMatches(type, v, value); });
}

RoleResult ResolveRole(const json& roles, bool authenticated, const json* mapping, const json& claims,
                       const std::optional<std::string>& custom_role_arn) {
  if (!authenticated) return Configured(roles, "unauthenticated");
  if (!mapping || !mapping->is_object()) return Configured(roles, "authenticated");
  const std::string type = mapping->value("Type", "");
  if (type == "Token") {
    if (custom_role_arn) {
      const json token_roles = claims.value("cognito:roles", json::array());
      if (token_roles.is_array() &&
          std::find(token_roles.begin(), token_roles.end(), *custom_role_arn) != token_roles.end()) {
        return {RoleOutcome::kRole, *custom_role_arn};
      }
      return {RoleOutcome::kCustomRoleDenied, ""};
    }
    auto preferred = claims.find("cognito:preferred_role");
    if (preferred != claims.end() && preferred->is_string())
      return {RoleOutcome::kRole, preferred->get<std::string>()};
    return Ambiguous(roles, *mapping);
  }
  if (type == "Rules") {
    const json rules = mapping->contains("RulesConfiguration")
                           ? (*mapping)["RulesConfiguration"].value("Rules", json::array())
                           : json::array();
    for (const auto& rule : rules) {
      if (RuleMatches(rule, claims)) return {RoleOutcome::kRole, rule.value("RoleARN", "")};
    }
    return Ambiguous(roles, *mapping);
  }
  return Configured(roles, "authenticated");
}

}  // namespace cogemu::identity::rules
