// Identity pool handlers: create, describe, update, delete, list, tags, roles and role
// mappings, and principal-tag attribute maps.
#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/identity/handlers.h"
#include "emulator/identity/logins.h"
#include "emulator/identity/records.h"

namespace cogemu::identity {
namespace {

using api::Bool;
using api::Find;
using api::Has;
using api::Str;
using store::Table;
namespace keys = store::keys;

constexpr size_t kMaxTags = 50;

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

void CheckProviderArns(const json& in, const char* member, const char* marker) {
  const json* arns = Find(in, member);
  if (!arns) return;
  for (const auto& arn : *arns) {
    const std::string s = arn.get<std::string>();
    if (s.rfind("arn:", 0) != 0 || s.find(marker) == std::string::npos) {
      // Unconfirmed wording: AWS refuses ARNs that are not IAM provider ARNs.
      throw errors::InvalidParameter("Invalid " + std::string(member) + " entry: " + s);
    }
  }
}

// The IdentityPool members CreateIdentityPool and UpdateIdentityPool both set. Update replaces
// the whole configuration, as AWS's does; tags are kept unless the request gives new ones.
json BuildPool(const json& in, const std::string& pool_id, const json* previous) {
  json pool = {{"IdentityPoolId", pool_id},
               {"IdentityPoolName", in["IdentityPoolName"]},
               {"AllowUnauthenticatedIdentities", in["AllowUnauthenticatedIdentities"]},
               {"AllowClassicFlow", Bool(in, "AllowClassicFlow", false)}};
  // Decision: the maps and lists are always returned (empty when unset), so SDK callers can
  // read them without checks; DeveloperProviderName only when set.
  pool["SupportedLoginProviders"] =
      Has(in, "SupportedLoginProviders") ? in["SupportedLoginProviders"] : json::object();
  pool["OpenIdConnectProviderARNs"] =
      Has(in, "OpenIdConnectProviderARNs") ? in["OpenIdConnectProviderARNs"] : json::array();
  pool["SamlProviderARNs"] = Has(in, "SamlProviderARNs") ? in["SamlProviderARNs"] : json::array();
  json providers = json::array();
  if (const json* list = Find(in, "CognitoIdentityProviders")) {
    for (const auto& p : *list) {
      json entry = api::WithoutNulls(p);
      if (!Has(entry, "ProviderName") || !Has(entry, "ClientId")) {
        // Unconfirmed wording.
        throw errors::InvalidParameter(
            "CognitoIdentityProviders entries need a ProviderName and a ClientId.");
      }
      entry["ServerSideTokenCheck"] = Bool(entry, "ServerSideTokenCheck", false);
      providers.push_back(entry);
    }
  }
  pool["CognitoIdentityProviders"] = providers;
  CheckProviderArns(in, "OpenIdConnectProviderARNs", ":oidc-provider/");
  CheckProviderArns(in, "SamlProviderARNs", ":saml-provider/");
  const std::string developer = Str(in, "DeveloperProviderName");
  const std::string before = previous ? previous->value("DeveloperProviderName", "") : "";
  if (!before.empty() && developer != before) {
    // Unconfirmed wording: AWS does not let a developer provider name change once it is set.
    throw errors::InvalidParameter(
        "The DeveloperProviderName of an identity pool cannot be changed once it is set.");
  }
  if (!developer.empty()) pool["DeveloperProviderName"] = developer;
  if (Has(in, "IdentityPoolTags")) {
    pool["IdentityPoolTags"] = in["IdentityPoolTags"];
  } else {
    pool["IdentityPoolTags"] =
        previous ? previous->value("IdentityPoolTags", json::object()) : json::object();
  }
  if (pool["IdentityPoolTags"].size() > kMaxTags) {
    throw errors::LimitExceeded("A resource can have at most 50 tags.");  // Unconfirmed wording.
  }
  return pool;
}

// "arn:aws:cognito-identity:<region>:<account>:identitypool/<id>" -> the pool record.
json RequirePoolByArn(const api::Context& ctx, const std::string& arn) {
  const std::string marker = ":identitypool/";
  const size_t at = arn.find(marker);
  if (arn.rfind("arn:", 0) != 0 || at == std::string::npos)
    throw errors::InvalidParameter("Invalid ARN: " + arn);
  const std::string id = arn.substr(at + marker.size());
  auto record = FindIdentityPool(ctx.txn, id);
  if (!record || IdentityPoolArn(ctx, id) != arn) throw IdentityPoolNotFound(id);
  return *record;
}

void ValidateRoleMappings(const json& pool, const json& mappings) {
  const std::vector<std::string> providers = RoleMappingKeys(pool);
  for (auto it = mappings.begin(); it != mappings.end(); ++it) {
    const json& m = it.value();
    // Unconfirmed wordings for the three refusals below.
    if (!Contains(providers, it.key())) {
      throw errors::InvalidParameter("Role mapping key " + it.key() +
                                     " is not a provider of this identity pool.");
    }
    if (!Has(m, "AmbiguousRoleResolution")) {
      throw errors::InvalidParameter("AmbiguousRoleResolution must be set for the role mapping of " +
                                     it.key() + ".");
    }
    if (m["Type"] == "Rules" && !Has(m, "RulesConfiguration")) {
      throw errors::InvalidParameter("RulesConfiguration must be set for a role mapping of type Rules (" +
                                     it.key() + ").");
    }
  }
}

json ShortDescription(const json& pool) {
  return {{"IdentityPoolId", pool["IdentityPoolId"]}, {"IdentityPoolName", pool["IdentityPoolName"]}};
}

}  // namespace

json CreateIdentityPool(api::Context& ctx, const json& in) {
  std::string id;
  if (ctx.fixture && Has(in, "IdentityPoolId")) {
    id = in["IdentityPoolId"];
    const size_t colon = id.find(':');
    if (colon == std::string::npos || colon == 0 || id.size() - colon - 1 != 36 ||
        id.find_first_not_of("0123456789abcdef-", colon + 1) != std::string::npos) {
      throw errors::InvalidParameter("IdentityPoolId must look like <region>:<lowercase uuid>.");
    }
    if (FindIdentityPool(ctx.txn, id))
      throw errors::InvalidParameter("IdentityPool '" + id + "' already exists.");
  } else {
    do {
      id = NewRegionalId(ctx, ctx.region());
    } while (FindIdentityPool(ctx.txn, id));
  }
  json record = {{"pool", BuildPool(in, id, nullptr)},
                 {"Roles", json::object()},
                 {"RoleMappings", json::object()},
                 {"PrincipalTags", json::object()}};
  SaveIdentityPool(ctx, record);
  return record["pool"];
}

json DescribeIdentityPool(api::Context& ctx, const json& in) {
  return RequireIdentityPool(ctx, in["IdentityPoolId"])["pool"];
}

json UpdateIdentityPool(api::Context& ctx, const json& in) {
  const std::string id = in["IdentityPoolId"];
  json record = RequireIdentityPool(ctx, id);
  record["pool"] = BuildPool(in, id, &record["pool"]);
  // Role mappings and principal-tag maps of providers that are gone go with them.
  const std::vector<std::string> keys = RoleMappingKeys(record["pool"]);
  for (const char* member : {"RoleMappings", "PrincipalTags"}) {
    json kept = json::object();
    for (auto it = record[member].begin(); it != record[member].end(); ++it) {
      if (Contains(keys, it.key())) kept[it.key()] = it.value();
    }
    record[member] = kept;
  }
  SaveIdentityPool(ctx, record);
  return record["pool"];
}

json DeleteIdentityPool(api::Context& ctx, const json& in) {
  const std::string id = in["IdentityPoolId"];
  RequireIdentityPool(ctx, id);
  DeletePoolIdentities(ctx, id);
  ctx.txn.Del(Table::kIdentityPools, keys::Tuple({id}));
  return json::object();
}

json ListIdentityPools(api::Context& ctx, const json& in) {
  json pools = json::array();
  auto next = api::ScanPage(ctx.txn, Table::kIdentityPools, "", "identity-pools",
                            api::OptStr(in, "NextToken"), static_cast<size_t>(api::Int(in, "MaxResults", 60)),
                            [&](std::string_view, std::string_view value) {
                              json record = json::from_msgpack(value);
                              pools.push_back(ShortDescription(record["pool"]));
                            });
  json out = {{"IdentityPools", pools}};
  if (next) out["NextToken"] = *next;
  return out;
}

json TagResource(api::Context& ctx, const json& in) {
  json record = RequirePoolByArn(ctx, in["ResourceArn"]);
  json& tags = record["pool"]["IdentityPoolTags"];
  for (auto it = in["Tags"].begin(); it != in["Tags"].end(); ++it) tags[it.key()] = it.value();
  if (tags.size() > kMaxTags)
    throw errors::LimitExceeded("A resource can have at most 50 tags.");  // Unconfirmed.
  SaveIdentityPool(ctx, record);
  return json::object();
}

json UntagResource(api::Context& ctx, const json& in) {
  json record = RequirePoolByArn(ctx, in["ResourceArn"]);
  for (const auto& key : in["TagKeys"]) record["pool"]["IdentityPoolTags"].erase(key.get<std::string>());
  SaveIdentityPool(ctx, record);
  return json::object();
}

json ListTagsForResource(api::Context& ctx, const json& in) {
  return {{"Tags", RequirePoolByArn(ctx, in["ResourceArn"])["pool"]["IdentityPoolTags"]}};
}

json SetIdentityPoolRoles(api::Context& ctx, const json& in) {
  json record = RequireIdentityPool(ctx, in["IdentityPoolId"]);
  const json mappings = Has(in, "RoleMappings") ? api::WithoutNulls(in["RoleMappings"]) : json::object();
  ValidateRoleMappings(record["pool"], mappings);
  record["Roles"] = in["Roles"];
  record["RoleMappings"] = mappings;
  SaveIdentityPool(ctx, record);
  return json::object();
}

json GetIdentityPoolRoles(api::Context& ctx, const json& in) {
  const json record = RequireIdentityPool(ctx, in["IdentityPoolId"]);
  json out = {{"IdentityPoolId", in["IdentityPoolId"]}, {"Roles", record["Roles"]}};
  if (!record["RoleMappings"].empty()) out["RoleMappings"] = record["RoleMappings"];
  return out;
}

json SetPrincipalTagAttributeMap(api::Context& ctx, const json& in) {
  const std::string id = in["IdentityPoolId"];
  json record = RequireIdentityPool(ctx, id);
  const std::string provider = in["IdentityProviderName"];
  if (!Contains(ProviderNames(record["pool"]), provider)) {
    // Unconfirmed wording.
    throw errors::InvalidParameter("IdentityProviderName " + provider +
                                   " is not a provider of this identity pool.");
  }
  const bool defaults = Bool(in, "UseDefaults", false);
  json tags =
      defaults ? DefaultPrincipalTags() : (Has(in, "PrincipalTags") ? in["PrincipalTags"] : json::object());
  record["PrincipalTags"][provider] = {{"UseDefaults", defaults}, {"PrincipalTags", tags}};
  SaveIdentityPool(ctx, record);
  return {{"IdentityPoolId", id},
          {"IdentityProviderName", provider},
          {"UseDefaults", defaults},
          {"PrincipalTags", tags}};
}

json GetPrincipalTagAttributeMap(api::Context& ctx, const json& in) {
  const std::string id = in["IdentityPoolId"];
  const json record = RequireIdentityPool(ctx, id);
  const std::string provider = in["IdentityProviderName"];
  if (!Contains(ProviderNames(record["pool"]), provider)) {
    throw errors::InvalidParameter("IdentityProviderName " + provider +
                                   " is not a provider of this identity pool.");
  }
  // Decision: a provider without a map has no principal tags (UseDefaults false, empty map).
  const json entry = record["PrincipalTags"].value(
      provider, json{{"UseDefaults", false}, {"PrincipalTags", json::object()}});
  return {{"IdentityPoolId", id},
          {"IdentityProviderName", provider},
          {"UseDefaults", entry["UseDefaults"]},
          {"PrincipalTags", entry["PrincipalTags"]}};
}

}  // namespace cogemu::identity
