// App-client handlers: create, describe, update, delete and list user-pool clients.
#include <algorithm>
#include <set>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/idp/pools.h"
#include "emulator/store/decoded_cache.h"

namespace cogemu::idp {
namespace {

using api::Bool;
using api::Find;
using api::Has;
using api::Str;
using store::Table;
namespace keys = store::keys;

constexpr size_t kClientIdLength = 26;
constexpr size_t kClientSecretLength = 51;

int64_t UnitSeconds(const std::string& unit) {
  if (unit == "seconds") return 1;
  if (unit == "minutes") return 60;
  if (unit == "hours") return 3600;
  return 86400;  // days
}

// Token lifetimes, in the client's units, within AWS's limits: access and ID tokens 5 minutes
// to 1 day, refresh tokens 1 hour to 10 years (0 means the 30-day default).
void ApplyTokenValidity(json& client, const json& in) {
  json units = Has(in, "TokenValidityUnits") ? api::WithoutNulls(in["TokenValidityUnits"]) : json::object();
  if (!Has(units, "AccessToken")) units["AccessToken"] = "hours";
  if (!Has(units, "IdToken")) units["IdToken"] = "hours";
  if (!Has(units, "RefreshToken")) units["RefreshToken"] = "days";
  client["TokenValidityUnits"] = units;

  auto check = [&](const char* member, const char* unit_key, int64_t fallback_seconds,
                   int64_t min_s, int64_t max_s) {
    const int64_t unit = UnitSeconds(units[unit_key]);
    int64_t value = api::Int(in, member, 0);
    if (value == 0) value = fallback_seconds / unit;
    const int64_t seconds = value * unit;
    if (seconds < min_s || seconds > max_s) {
      throw errors::InvalidParameter("Invalid range for token validity.");
    }
    client[member] = value;
  };
  check("AccessTokenValidity", "AccessToken", 3600, 300, 86400);
  check("IdTokenValidity", "IdToken", 3600, 300, 86400);
  check("RefreshTokenValidity", "RefreshToken", 30 * 86400, 3600, 315360000);
}

void CheckAttributes(const json& pool, const json& in, const char* member, const char* verb) {
  const json* list = Find(in, member);
  if (!list) return;
  std::set<std::string> known;
  for (const auto& a : pool["SchemaAttributes"]) {
    const std::string name = a["Name"];
    known.insert(name);
    if (name.rfind("dev:", 0) == 0) known.insert(name.substr(4));
  }
  for (const auto& name : *list) {
    if (!known.count(name.get<std::string>())) {
      const std::string kind = std::string(member) == "ReadAttributes" ? "read" : "write";
      throw errors::InvalidParameter("Invalid " + kind + " attributes specified while " + verb +
                                     " a client");
    }
  }
}

// Settings shared by create and update. Like UpdateUserPool, UpdateUserPoolClient resets
// every setting the request leaves out to its default.
void ApplySettings(json& client, const json& pool, const json& in, const char* verb) {
  client["ClientName"] = Str(in, "ClientName", client.value("ClientName", ""));
  ApplyTokenValidity(client, in);
  CheckAttributes(pool, in, "ReadAttributes", verb);
  CheckAttributes(pool, in, "WriteAttributes", verb);
  client["ExplicitAuthFlows"] =
      Has(in, "ExplicitAuthFlows")
          ? in["ExplicitAuthFlows"]
          : json::array({"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"});
  for (const char* optional : {"ReadAttributes", "WriteAttributes", "SupportedIdentityProviders",
                               "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows",
                               "AllowedOAuthScopes", "AnalyticsConfiguration", "RefreshTokenRotation"}) {
    client.erase(optional);
    if (Has(in, optional)) client[optional] = api::WithoutNulls(in[optional]);
  }
  client["AllowedOAuthFlowsUserPoolClient"] = Bool(in, "AllowedOAuthFlowsUserPoolClient", false);
  client["PreventUserExistenceErrors"] = Str(in, "PreventUserExistenceErrors", "LEGACY");
  client["EnableTokenRevocation"] = Bool(in, "EnableTokenRevocation", true);
  client["EnablePropagateAdditionalUserContextData"] =
      Bool(in, "EnablePropagateAdditionalUserContextData", false);
  client["AuthSessionValidity"] = api::Int(in, "AuthSessionValidity", 3);
  // Describe shows {"Feature":"DISABLED"} for a client that never set it (observed by Terraform).
  if (!Has(client, "RefreshTokenRotation")) client["RefreshTokenRotation"] = {{"Feature", "DISABLED"}};

  const json& auth_flows = client["ExplicitAuthFlows"];
  const std::string tier = pool.value("UserPoolTier", "ESSENTIALS");
  if (tier == "LITE" && std::find(auth_flows.begin(), auth_flows.end(), "ALLOW_USER_AUTH") != auth_flows.end()) {
    // Judgement call: AWS declares this exception on the client calls, not on InitiateAuth.
    throw errors::FeatureUnavailableInTier(tier, "Choice-based sign-in");
  }

  if (client["AllowedOAuthFlowsUserPoolClient"].get<bool>()) {
    if (!Has(client, "AllowedOAuthFlows") || client["AllowedOAuthFlows"].empty()) {
      throw errors::InvalidParameter(
          "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed "
          "to use OAuth flows.");
    }
    const auto& flows = client["AllowedOAuthFlows"];
    const bool browser = std::find(flows.begin(), flows.end(), "code") != flows.end() ||
                         std::find(flows.begin(), flows.end(), "implicit") != flows.end();
    if (browser && (!Has(client, "CallbackURLs") || client["CallbackURLs"].empty())) {
      throw errors::InvalidParameter("CallbackURLs can not be empty if AllowedOAuthFlows is code or implicit.");
    }
  }
}

std::string NewClientId(const api::Context& ctx) {
  for (;;) {
    std::string id = ctx.random.FromAlphabet(alphabet::kLowerAlnum, kClientIdLength);
    if (!ctx.txn.Has(Table::kClients, keys::Tuple({id}))) return id;
  }
}

// The client, checked to belong to the pool named in the request.
json RequirePoolClient(const api::Context& ctx, const std::string& pool_id, const std::string& client_id) {
  RequirePool(ctx, pool_id);
  auto client = FindClient(ctx.txn, client_id);
  if (!client || (*client)["UserPoolId"] != pool_id) throw errors::UserPoolClientNotFound(client_id);
  return *client;
}

}  // namespace

std::shared_ptr<const json> FindClient(const store::Txn& txn, const std::string& client_id) {
  auto raw = txn.Get(Table::kClients, keys::Tuple({client_id}));
  if (!raw) return nullptr;
  thread_local store::DecodedCache decoded(64);
  return decoded.Get(client_id, *raw);
}

json RequireClient(const api::Context& ctx, const std::string& client_id) {
  auto client = FindClient(ctx.txn, client_id);
  if (!client) throw errors::UserPoolClientNotFound(client_id);
  return *client;
}

json CreateUserPoolClient(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  const SharedPool shared_pool = RequirePool(ctx, pool_id);
  const json& pool = shared_pool.pool();
  std::string id;
  if (ctx.fixture && Has(in, "ClientId")) {
    id = Str(in, "ClientId");
    if (id.empty() || id.size() > 128 || id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+") != std::string::npos) {
      throw errors::InvalidParameter("ClientId must match [\\w+]+ and be at most 128 characters.");
    }
    if (ctx.txn.Has(Table::kClients, keys::Tuple({id}))) {
      throw errors::InvalidParameter("User pool client " + id + " already exists.");
    }
  } else {
    id = NewClientId(ctx);
  }
  json client = {{"UserPoolId", pool_id}, {"ClientName", in["ClientName"]}, {"ClientId", id}};
  if (ctx.fixture && Has(in, "ClientSecret")) {
    client["ClientSecret"] = Str(in, "ClientSecret");
  } else if (Bool(in, "GenerateSecret", false)) {
    client["ClientSecret"] = ctx.random.FromAlphabet(alphabet::kLowerAlnum, kClientSecretLength);
  }
  ApplySettings(client, pool, in, "creating");
  const double now = ctx.now();
  client["LastModifiedDate"] = now;
  client["CreationDate"] = now;
  ctx.txn.PutJson(Table::kClients, keys::Tuple({id}), client);
  ctx.txn.Put(Table::kPoolClients, keys::Tuple({pool_id, id}), "");
  return {{"UserPoolClient", client}};
}

json DescribeUserPoolClient(api::Context& ctx, const json& in) {
  return {{"UserPoolClient", RequirePoolClient(ctx, in["UserPoolId"], in["ClientId"])}};
}

json UpdateUserPoolClient(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  json client = RequirePoolClient(ctx, pool_id, in["ClientId"]);
  const SharedPool shared_pool = RequirePool(ctx, pool_id);
  const json& pool = shared_pool.pool();
  ApplySettings(client, pool, in, "updating");
  client["LastModifiedDate"] = ctx.now();
  ctx.txn.PutJson(Table::kClients, keys::Tuple({client["ClientId"].get<std::string>()}), client);
  return {{"UserPoolClient", client}};
}

json DeleteUserPoolClient(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  const std::string client_id = in["ClientId"];
  RequirePoolClient(ctx, pool_id, client_id);
  ctx.txn.Del(Table::kClients, keys::Tuple({client_id}));
  ctx.txn.Del(Table::kPoolClients, keys::Tuple({pool_id, client_id}));
  return json::object();
}

json ListUserPoolClients(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  RequirePool(ctx, pool_id);
  json clients = json::array();
  auto next = api::ScanPage(ctx.txn, Table::kPoolClients, keys::Prefix({pool_id}), "clients:" + pool_id,
                            api::OptStr(in, "NextToken"), static_cast<size_t>(api::Int(in, "MaxResults", 60)),
                            [&](std::string_view key, std::string_view) {
                              const std::string client_id = keys::Split(key).at(1);
                              if (auto c = FindClient(ctx.txn, client_id)) {
                                clients.push_back({{"ClientId", client_id},
                                                   {"UserPoolId", pool_id},
                                                   {"ClientName", (*c)["ClientName"]}});
                              }
                            });
  json out = {{"UserPoolClients", clients}};
  if (next) out["NextToken"] = *next;
  return out;
}

}  // namespace cogemu::idp
