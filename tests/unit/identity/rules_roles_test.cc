#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/identity/rules/roles.h"

namespace cogemu::identity::rules {
namespace {

using json = nlohmann::json;

const json kRoles = {{"authenticated", "arn:auth"}, {"unauthenticated", "arn:unauth"}};
const json kClaims = {{"sub", "abc-123"},
                      {"email", "jane@example.com"},
                      {"cognito:groups", json::array({"admins", "staff"})},
                      {"email_verified", true},
                      {"level", 7}};

json Rule(const char* claim, const char* type, const char* value, const char* role) {
  return {{"Claim", claim}, {"MatchType", type}, {"Value", value}, {"RoleARN", role}};
}

TEST_CASE("rules roles: one rule against the claims") {
  struct {
    const char* claim;
    const char* type;
    const char* value;
    bool matches;
  } cases[] = {
      {"email", "Equals", "jane@example.com", true},
      {"email", "Equals", "JANE@example.com", false},  // case-sensitive
      {"email", "Contains", "@example", true},
      {"email", "Contains", "@other", false},
      {"email", "StartsWith", "jane", true},
      {"email", "StartsWith", "example", false},
      {"email", "NotEqual", "bob@example.com", true},
      {"email", "NotEqual", "jane@example.com", false},
      {"missing", "NotEqual", "x", false},  // a missing claim never matches, NotEqual included
      {"missing", "Equals", "x", false},
      {"cognito:groups", "Equals", "staff", true},  // lists match by element
      {"cognito:groups", "Contains", "dmin", true},
      {"cognito:groups", "StartsWith", "sta", true},
      {"cognito:groups", "NotEqual", "staff", false},
      {"cognito:groups", "NotEqual", "guests", true},
      {"email_verified", "Equals", "true", true},  // booleans and numbers as JSON text
      {"level", "Equals", "7", true},
      {"level", "Equals", "07", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.claim);
    CAPTURE(c.type);
    CAPTURE(c.value);
    CHECK(RuleMatches(Rule(c.claim, c.type, c.value, "arn:r"), kClaims) == c.matches);
  }
}

TEST_CASE("rules roles: resolution table") {
  const json rules_mapping = {{"Type", "Rules"},
                              {"AmbiguousRoleResolution", "AuthenticatedRole"},
                              {"RulesConfiguration",
                               {{"Rules", json::array({Rule("missing", "NotEqual", "x", "arn:skipped"),
                                                       Rule("email", "Contains", "nomatch", "arn:no"),
                                                       Rule("email", "StartsWith", "jane", "arn:first"),
                                                       Rule("sub", "Equals", "abc-123", "arn:second")})}}}};
  json rules_deny = rules_mapping;
  rules_deny["AmbiguousRoleResolution"] = "Deny";
  rules_deny["RulesConfiguration"]["Rules"] = json::array({Rule("email", "Equals", "nobody", "arn:no")});
  json rules_fallback = rules_deny;
  rules_fallback["AmbiguousRoleResolution"] = "AuthenticatedRole";
  const json token_deny = {{"Type", "Token"}, {"AmbiguousRoleResolution", "Deny"}};
  const json token_auth = {{"Type", "Token"}, {"AmbiguousRoleResolution", "AuthenticatedRole"}};
  json with_roles = kClaims;
  with_roles["cognito:roles"] = json::array({"arn:admin", "arn:staff"});
  with_roles["cognito:preferred_role"] = "arn:admin";
  json roles_only = kClaims;
  roles_only["cognito:roles"] = json::array({"arn:admin", "arn:staff"});

  struct {
    const char* name;
    json roles;
    bool authenticated;
    const json* mapping;
    json claims;
    std::optional<std::string> custom;
    RoleOutcome outcome;
    const char* role;
  } cases[] = {
      {"unauthenticated", kRoles, false, nullptr, json::object(), std::nullopt, RoleOutcome::kRole,
       "arn:unauth"},
      {"unauthenticated, no role",
       {{"authenticated", "arn:auth"}},
       false,
       nullptr,
       json::object(),
       std::nullopt,
       RoleOutcome::kNoRole,
       ""},
      {"unauthenticated ignores mappings", kRoles, false, &token_deny, with_roles, std::nullopt,
       RoleOutcome::kRole, "arn:unauth"},
      {"authenticated, no mapping", kRoles, true, nullptr, kClaims, std::nullopt, RoleOutcome::kRole,
       "arn:auth"},
      {"authenticated, no role",
       {{"unauthenticated", "arn:unauth"}},
       true,
       nullptr,
       kClaims,
       std::nullopt,
       RoleOutcome::kNoRole,
       ""},
      {"rules: first match wins", kRoles, true, &rules_mapping, kClaims, std::nullopt, RoleOutcome::kRole,
       "arn:first"},
      {"rules: no match, deny", kRoles, true, &rules_deny, kClaims, std::nullopt,
       RoleOutcome::kAmbiguousDenied, ""},
      {"rules: no match, authenticated role", kRoles, true, &rules_fallback, kClaims, std::nullopt,
       RoleOutcome::kRole, "arn:auth"},
      {"rules: no match, no authenticated role", json::object(), true, &rules_fallback, kClaims, std::nullopt,
       RoleOutcome::kNoRole, ""},
      {"rules ignore CustomRoleArn", kRoles, true, &rules_mapping, kClaims, std::string("arn:x"),
       RoleOutcome::kRole, "arn:first"},
      {"token: preferred role", kRoles, true, &token_deny, with_roles, std::nullopt, RoleOutcome::kRole,
       "arn:admin"},
      {"token: custom role in cognito:roles", kRoles, true, &token_deny, with_roles, std::string("arn:staff"),
       RoleOutcome::kRole, "arn:staff"},
      {"token: custom role not in cognito:roles", kRoles, true, &token_auth, with_roles,
       std::string("arn:other"), RoleOutcome::kCustomRoleDenied, ""},
      {"token: custom role without cognito:roles", kRoles, true, &token_auth, kClaims,
       std::string("arn:auth"), RoleOutcome::kCustomRoleDenied, ""},
      {"token: several roles, no preferred, deny", kRoles, true, &token_deny, roles_only, std::nullopt,
       RoleOutcome::kAmbiguousDenied, ""},
      {"token: no roles, authenticated role", kRoles, true, &token_auth, kClaims, std::nullopt,
       RoleOutcome::kRole, "arn:auth"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    RoleResult r = ResolveRole(c.roles, c.authenticated, c.mapping, c.claims, c.custom);
    CHECK(r.outcome == c.outcome);
    CHECK(r.role_arn == c.role);
  }
}

}  // namespace
}  // namespace cogemu::identity::rules
