// The identity flows: GetId, GetCredentialsForIdentity, GetOpenIdToken, UnlinkIdentity,
// DescribeIdentity, ListIdentities, DeleteIdentities; linking and merging (flows.h).
#include <algorithm>
#include <map>
#include <utility>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/crypto/hash.h"
#include "emulator/identity/flows.h"
#include "emulator/identity/handlers.h"
#include "emulator/identity/openid.h"
#include "emulator/identity/records.h"
#include "emulator/identity/rules/roles.h"

namespace cogemu::identity {
namespace {

using api::Has;
using api::Str;
using store::Table;
namespace keys = store::keys;

constexpr int64_t kCredentialSeconds = 3600;  // "valid for one hour"
constexpr int64_t kOpenIdTokenSeconds = 600;  // GetOpenIdToken: 10 minutes
constexpr std::string_view kAccessKeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kSecretAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Issued credentials are kept in issue order (per identity) by a store-wide sequence number.
uint64_t NextCredentialSequence(api::Context& ctx) {
  const std::string key = keys::Tuple({"issued_credentials_seq"});
  auto current = ctx.txn.Get(Table::kMeta, key);
  const uint64_t next = current ? keys::ReadU64(*current) + 1 : 1;
  ctx.txn.Put(Table::kMeta, key, keys::U64(next));
  return next;
}

std::string Developer(const json& pool) { return pool.value("DeveloperProviderName", ""); }

// Adds one login to an identity; ResourceConflictException when the identity already has a
// different login of that provider.
void AddLogin(json& identity, const std::string& provider, const std::string& subject,
              const std::string& developer) {
  json& list = identity["Logins"][provider];
  if (!list.is_array()) list = json::array();
  if (std::find(list.begin(), list.end(), subject) != list.end()) return;
  if (!list.empty() && provider != developer) {
    // Unconfirmed wording (the model: "a login which is already linked to another account").
    throw ApiError("ResourceConflictException", "Identity '" + identity["IdentityId"].get<std::string>() +
                                                    "' is already linked to a different login of " +
                                                    provider + ".");
  }
  list.push_back(subject);
}

bool Older(const json& a, const json& b) {
  if (a["CreationDate"] != b["CreationDate"])
    return a["CreationDate"].get<double>() < b["CreationDate"].get<double>();
  return a["IdentityId"].get<std::string>() < b["IdentityId"].get<std::string>();
}

// A live identity of `pool_id`, following merges; Forbidden when it is not there.
json LiveIdentity(const api::Context& ctx, const std::string& pool_id, std::string id) {
  for (int hops = 0; hops < 64; ++hops) {
    auto identity = FindIdentity(ctx.txn, id);
    if (!identity || (*identity)["IdentityPoolId"] != pool_id) throw Forbidden(id);
    if (!IsMerged(*identity)) return *identity;
    id = (*identity)["MergedInto"].get<std::string>();
  }
  throw Forbidden(id);
}

// The live identity a call names and its pool's record; Forbidden otherwise (unknown, merged,
// or its pool is gone).
std::pair<json, json> RequireNamedIdentity(const api::Context& ctx, const std::string& id) {
  auto identity = FindIdentity(ctx.txn, id);
  if (!identity || IsMerged(*identity)) throw Forbidden(id);
  auto record = FindIdentityPool(ctx.txn, (*identity)["IdentityPoolId"].get<std::string>());
  if (!record) throw Forbidden(id);
  return {*identity, *record};
}

// Whether a RoleMappings or principal-tag map key names a login's provider: the provider name
// itself, or for OIDC providers (whose logins are keyed by host) the provider's ARN.
bool NamesProvider(const std::string& name, const std::string& provider) {
  if (name == provider) return true;
  const std::string oidc = ":oidc-provider/" + provider;
  return name.size() > oidc.size() && name.compare(name.size() - oidc.size(), oidc.size(), oidc) == 0;
}

// The RoleMapping for a login: "<user pool provider>:<client id>" first, then the provider.
const json* MappingFor(const json& mappings, const Login& login) {
  if (!login.client_id.empty()) {
    auto it = mappings.find(login.provider + ":" + login.client_id);
    if (it != mappings.end()) return &*it;
  }
  for (auto it = mappings.begin(); it != mappings.end(); ++it) {
    if (NamesProvider(it.key(), login.provider)) return &it.value();
  }
  return nullptr;
}

struct Caller {
  json pool;    // the IdentityPool part of the record
  json record;  // the whole pool record (Roles, RoleMappings)
  json identity;
  std::vector<Login> logins;
  bool authenticated = false;
};

// GetCredentialsForIdentity / GetOpenIdToken: the identity named by the call, proven by its
// logins (or unauthenticated, when the pool allows it), after linking and merging.
Caller Authorize(api::Context& ctx, const json& in) {
  const auto [identity, record] = RequireNamedIdentity(ctx, in["IdentityId"]);
  Caller caller{record["pool"], record, identity, {}, false};
  const json logins = Has(in, "Logins") ? in["Logins"] : json::object();
  caller.logins = VerifyLogins(ctx, caller.pool, logins);
  if (caller.logins.empty()) {
    if (IsAuthenticated(identity)) throw LoginsDontMatch();
  } else {
    caller.identity = ResolveIdentity(ctx, caller.pool, &identity, caller.logins, false);
  }
  caller.authenticated = IsAuthenticated(caller.identity);
  if (!caller.authenticated && !caller.pool.value("AllowUnauthenticatedIdentities", false)) {
    throw errors::NotAuthorized("Unauthenticated access is not supported for this identity pool.");
  }
  return caller;
}

// The role for the caller (rules/roles.h), or AWS's refusal.
std::string ChooseRole(const Caller& caller, const std::optional<std::string>& custom_role_arn) {
  const json& roles = caller.record["Roles"];
  const json& mappings = caller.record["RoleMappings"];
  // The first login (by provider name) whose provider has a mapping decides.
  const json* mapping = nullptr;
  const Login* mapped = nullptr;
  for (const Login& login : caller.logins) {
    if (!caller.authenticated || login.identity_token || mapping) continue;
    mapping = MappingFor(mappings, login);
    mapped = &login;
  }
  const rules::RoleResult result = rules::ResolveRole(
      roles, caller.authenticated, mapping, mapping ? mapped->claims : json::object(), custom_role_arn);
  switch (result.outcome) {
    case rules::RoleOutcome::kRole:
      return result.role_arn;
    case rules::RoleOutcome::kAmbiguousDenied:
      throw errors::NotAuthorized("The ambiguous role mapping rules denied this request.");
    case rules::RoleOutcome::kCustomRoleDenied:
      // Unconfirmed wording.
      throw errors::NotAuthorized("The CustomRoleArn is not one of the roles in the token's cognito:roles.");
    case rules::RoleOutcome::kNoRole:
      break;
  }
  throw ApiError("InvalidIdentityPoolConfigurationException",
                 "Invalid identity pool configuration. Check assigned IAM roles for this pool.");
}

// The session tags the pool's principal-tag maps give these logins: tag -> the claim's value
// (claims that are not there give no tag). Kept with the issued credentials, where STS would
// attach them to the session.
json PrincipalTags(const Caller& caller) {
  json tags = json::object();
  const json maps = caller.record.value("PrincipalTags", json::object());
  for (const Login& login : caller.logins) {
    for (auto map = maps.begin(); map != maps.end(); ++map) {
      if (!NamesProvider(map.key(), login.provider)) continue;
      for (auto it = map.value()["PrincipalTags"].begin(); it != map.value()["PrincipalTags"].end(); ++it) {
        auto claim = login.claims.find(it.value().get<std::string>());
        if (claim == login.claims.end() || claim->is_null()) continue;
        tags[it.key()] = claim->is_string() ? claim->get<std::string>() : claim->dump();
      }
    }
  }
  return tags;
}

}  // namespace

ApiError Forbidden(const std::string& identity_id) {
  return errors::NotAuthorized("Access to Identity '" + identity_id + "' is forbidden.");
}

ApiError LoginsDontMatch() {
  return errors::NotAuthorized(
      "Logins don't match. Please include at least one valid login for this identity or identity pool.");
}

ApiError IdentityNotFound(const std::string& identity_id) {
  return errors::ResourceNotFound("Identity '" + identity_id + "' not found.");  // Unconfirmed wording.
}

void MergeInto(api::Context& ctx, const json& pool, json& survivor, json& loser) {
  const json before = loser;
  for (auto it = before["Logins"].begin(); it != before["Logins"].end(); ++it) {
    for (const auto& subject : it.value())
      AddLogin(survivor, it.key(), subject.get<std::string>(), Developer(pool));
  }
  loser["Logins"] = json::object();
  loser["MergedInto"] = survivor["IdentityId"];
  loser["LastModifiedDate"] = ctx.now();
  PutIdentity(ctx, loser, &before);  // before the survivor, whose index entries replace these
}

json ResolveIdentity(api::Context& ctx, const json& pool, const json* start, const std::vector<Login>& logins,
                     bool trusted) {
  const std::string pool_id = pool["IdentityPoolId"];
  std::map<std::string, json> involved;
  std::vector<std::string> owners;
  for (const Login& login : logins) {
    std::optional<std::string> owner;
    if (login.identity_token) {
      owner = LiveIdentity(ctx, pool_id, login.subject)["IdentityId"].get<std::string>();
    } else {
      owner = LoginOwner(ctx.txn, pool_id, login.provider, login.subject);
    }
    if (!owner) continue;
    owners.push_back(*owner);
    if (!involved.count(*owner)) involved[*owner] = LiveIdentity(ctx, pool_id, *owner);
  }
  const std::string start_id = start ? (*start)["IdentityId"].get<std::string>() : "";
  if (start && IsAuthenticated(*start) && !trusted &&
      std::find(owners.begin(), owners.end(), start_id) == owners.end()) {
    throw LoginsDontMatch();
  }
  if (start && !involved.count(start_id)) involved[start_id] = *start;

  const json* best = nullptr;
  for (const auto& [id, identity] : involved) {
    if (IsAuthenticated(identity) && (!best || Older(identity, *best))) best = &identity;
  }
  json survivor;
  if (best) {
    survivor = *best;
  } else if (start) {
    survivor = *start;
  } else {
    survivor = CreateIdentity(ctx, pool_id);
  }
  const json before = survivor;
  const std::string survivor_id = survivor["IdentityId"];
  for (auto& [id, identity] : involved) {
    if (id != survivor_id) MergeInto(ctx, pool, survivor, identity);
  }
  for (const Login& login : logins) {
    if (!login.identity_token) AddLogin(survivor, login.provider, login.subject, Developer(pool));
  }
  if (survivor != before) {
    survivor["LastModifiedDate"] = ctx.now();
    PutIdentity(ctx, survivor, &before);
  }
  return survivor;
}

json Amr(const json& pool, bool authenticated, const std::vector<Login>& logins) {
  if (!authenticated) return json::array({"unauthenticated"});
  // Unconfirmed beyond "authenticated" and the provider name: the third entry follows the
  // shapes seen in real tokens (user pools: "<provider>:CognitoSignIn:<sub>").
  json amr = json::array({"authenticated"});
  for (const Login& login : logins) {
    if (login.identity_token) continue;
    amr.push_back(login.provider);
    if (!login.client_id.empty()) {
      amr.push_back(login.provider + ":CognitoSignIn:" + login.subject);
    } else if (login.provider == Developer(pool)) {
      amr.push_back(login.provider + ":" + pool["IdentityPoolId"].get<std::string>() + ":" + login.subject);
    } else {
      amr.push_back(login.provider + ":" + login.subject);
    }
  }
  return amr;
}

json GetId(api::Context& ctx, const json& in) {
  const json record = RequireIdentityPool(ctx, in["IdentityPoolId"]);
  const json& pool = record["pool"];
  const json logins = Has(in, "Logins") ? in["Logins"] : json::object();
  std::vector<Login> verified = VerifyLogins(ctx, pool, logins);
  if (verified.empty()) {
    if (!pool.value("AllowUnauthenticatedIdentities", false)) {
      throw errors::NotAuthorized("Unauthenticated access is not supported for this identity pool.");
    }
    return {{"IdentityId", CreateIdentity(ctx, pool["IdentityPoolId"])["IdentityId"]}};
  }
  return {{"IdentityId", ResolveIdentity(ctx, pool, nullptr, verified, false)["IdentityId"]}};
}

json GetCredentialsForIdentity(api::Context& ctx, const json& in) {
  Caller caller = Authorize(ctx, in);
  const std::string role = ChooseRole(caller, api::OptStr(in, "CustomRoleArn"));
  const std::string identity_id = caller.identity["IdentityId"];
  const int64_t expiration = ctx.clock.NowSeconds() + kCredentialSeconds;
  json credentials = {{"AccessKeyId", "ASIA" + ctx.random.FromAlphabet(kAccessKeyAlphabet, 16)},
                      {"SecretKey", ctx.random.FromAlphabet(kSecretAlphabet, 40)},
                      {"SessionToken", crypto::Base64Encode(ctx.random.Bytes(480))},
                      {"Expiration", expiration}};
  json providers = json::array();
  for (const Login& login : caller.logins) providers.push_back(login.provider);
  json record = {{"AccessKeyId", credentials["AccessKeyId"]},
                 {"IdentityId", identity_id},
                 {"IdentityPoolId", caller.pool["IdentityPoolId"]},
                 {"RoleArn", role},
                 {"Authenticated", caller.authenticated},
                 {"Logins", providers},
                 {"IssuedAt", ctx.clock.NowSeconds()},
                 {"Expiration", expiration}};
  const json tags = PrincipalTags(caller);
  if (!tags.empty()) record["PrincipalTags"] = tags;
  ctx.txn.PutJson(Table::kIssuedCredentials,
                  keys::Tuple({identity_id, keys::U64(NextCredentialSequence(ctx))}), record);
  return {{"IdentityId", identity_id}, {"Credentials", credentials}};
}

json GetOpenIdToken(api::Context& ctx, const json& in) {
  Caller caller = Authorize(ctx, in);
  if (!caller.pool.value("AllowClassicFlow", false)) {
    // Unconfirmed wording: the basic (classic) flow needs AllowClassicFlow on the pool.
    throw errors::InvalidParameter("Basic (classic) flow is not enabled for this identity pool.");
  }
  const json amr = Amr(caller.pool, caller.authenticated, caller.logins);
  return {{"IdentityId", caller.identity["IdentityId"]},
          {"Token", IssueOpenIdToken(ctx, caller.identity, amr, kOpenIdTokenSeconds)}};
}

json UnlinkIdentity(api::Context& ctx, const json& in) {
  const std::string id = in["IdentityId"];
  auto [identity, record] = RequireNamedIdentity(ctx, id);
  const std::vector<Login> logins = VerifyLogins(ctx, record["pool"], in["Logins"]);
  const bool proven = std::any_of(logins.begin(), logins.end(), [&](const Login& l) {
    if (l.identity_token) return l.subject == id;
    const json list = identity["Logins"].value(l.provider, json::array());
    return std::find(list.begin(), list.end(), l.subject) != list.end();
  });
  if (!proven) throw LoginsDontMatch();
  const json before = identity;
  for (const auto& key : in["LoginsToRemove"]) {
    identity["Logins"].erase(CanonicalProvider(ctx.config, key.get<std::string>()));
  }
  if (identity != before) {
    identity["LastModifiedDate"] = ctx.now();
    PutIdentity(ctx, identity, &before);
  }
  return json::object();
}

json DescribeIdentity(api::Context& ctx, const json& in) {
  const std::string id = in["IdentityId"];
  auto identity = FindIdentity(ctx.txn, id);
  if (!identity) throw IdentityNotFound(id);
  return {{"IdentityId", id},
          {"Logins", LoginProviders(*identity)},
          {"CreationDate", (*identity)["CreationDate"]},
          {"LastModifiedDate", (*identity)["LastModifiedDate"]}};
}

json ListIdentities(api::Context& ctx, const json& in) {
  const std::string pool_id = in["IdentityPoolId"];
  RequireIdentityPool(ctx, pool_id);
  const bool hide_disabled = api::Bool(in, "HideDisabled", false);
  json identities = json::array();
  auto next = api::ScanPage(ctx.txn, Table::kPoolIdentities, keys::Prefix({pool_id}), "identities:" + pool_id,
                            api::OptStr(in, "NextToken"), static_cast<size_t>(api::Int(in, "MaxResults", 60)),
                            [&](std::string_view key, std::string_view) {
                              auto identity = FindIdentity(ctx.txn, keys::Split(key).at(1));
                              if (!identity || (hide_disabled && IsMerged(*identity))) return;
                              identities.push_back({{"IdentityId", (*identity)["IdentityId"]},
                                                    {"Logins", LoginProviders(*identity)},
                                                    {"CreationDate", (*identity)["CreationDate"]},
                                                    {"LastModifiedDate", (*identity)["LastModifiedDate"]}});
                            });
  json out = {{"IdentityPoolId", pool_id}, {"Identities", identities}};
  if (next) out["NextToken"] = *next;
  return out;
}

json DeleteIdentities(api::Context& ctx, const json& in) {
  // Decision: unknown identity ids are not errors (nothing to delete), so nothing is unprocessed.
  for (const auto& id : in["IdentityIdsToDelete"]) {
    if (auto identity = FindIdentity(ctx.txn, id.get<std::string>())) DeleteIdentityRecord(ctx, *identity);
  }
  return {{"UnprocessedIdentityIds", json::array()}};
}

}  // namespace cogemu::identity
