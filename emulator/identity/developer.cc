// Developer-authenticated identities: GetOpenIdTokenForDeveloperIdentity,
// LookupDeveloperIdentity, MergeDeveloperIdentities, UnlinkDeveloperIdentity. The developer's
// backend calls these (signed); the user identifiers it passes are trusted as they are.
#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/identity/flows.h"
#include "emulator/identity/handlers.h"
#include "emulator/identity/openid.h"
#include "emulator/identity/records.h"

namespace cogemu::identity {
namespace {

using api::Has;
using api::Str;

constexpr int64_t kDefaultTokenSeconds = 900;  // 15 minutes

// The pool's developer provider, which must be `name` when a request names one.
std::string RequireDeveloper(const json& pool, const std::string& name = "") {
  const std::string developer = pool.value("DeveloperProviderName", "");
  if (developer.empty() || (!name.empty() && name != developer)) {
    // Unconfirmed wording.
    throw errors::ResourceNotFound("Developer provider " + (name.empty() ? std::string("name") : name) +
                                   " is not configured for identity pool " +
                                   pool["IdentityPoolId"].get<std::string>() + ".");
  }
  return developer;
}

ApiError UserIdentifierNotFound(const std::string& user) {
  return errors::ResourceNotFound("Developer user identifier '" + user +
                                  "' not found.");  // Unconfirmed wording.
}

// A live identity of the pool, or ResourceNotFoundException.
json RequirePoolIdentity(const api::Context& ctx, const std::string& pool_id, const std::string& id) {
  auto identity = FindIdentity(ctx.txn, id);
  if (!identity || (*identity)["IdentityPoolId"] != pool_id || IsMerged(*identity))
    throw IdentityNotFound(id);
  return *identity;
}

json RequireIdentityOfUser(const api::Context& ctx, const std::string& pool_id, const std::string& developer,
                           const std::string& user) {
  auto owner = LoginOwner(ctx.txn, pool_id, developer, user);
  if (!owner) throw UserIdentifierNotFound(user);
  return RequirePoolIdentity(ctx, pool_id, *owner);
}

}  // namespace

json GetOpenIdTokenForDeveloperIdentity(api::Context& ctx, const json& in) {
  const json record = RequireIdentityPool(ctx, in["IdentityPoolId"]);
  const json& pool = record["pool"];
  const std::string pool_id = pool["IdentityPoolId"];
  const std::string developer = pool.value("DeveloperProviderName", "");
  const std::vector<Login> logins = VerifyLogins(ctx, pool, in["Logins"], developer);
  if (logins.empty()) {
    throw errors::InvalidParameter("Logins must hold at least one login.");  // Unconfirmed wording.
  }
  json identity;
  if (Has(in, "IdentityId")) {
    json start = RequirePoolIdentity(ctx, pool_id, in["IdentityId"]);
    for (const Login& login : logins) {
      if (login.provider != developer) continue;
      auto owner = LoginOwner(ctx.txn, pool_id, developer, login.subject);
      if (owner && *owner != start["IdentityId"]) {
        throw ApiError("DeveloperUserAlreadyRegisteredException",
                       "The provided developer user identifier is already registered with Cognito under a "
                       "different identity ID.");
      }
    }
    identity = ResolveIdentity(ctx, pool, &start, logins, true);
  } else {
    identity = ResolveIdentity(ctx, pool, nullptr, logins, true);
  }
  json extra = json::object();
  if (const json* tags = api::Find(in, "PrincipalTags"); tags && !tags->empty()) {
    // Unconfirmed: principal tags travel in the token as session tags do in STS web-identity
    // tokens, {"https://aws.amazon.com/tags": {"principal_tags": {tag: [value]}}}.
    json principal = json::object();
    for (auto it = tags->begin(); it != tags->end(); ++it) principal[it.key()] = json::array({it.value()});
    extra["https://aws.amazon.com/tags"] = {{"principal_tags", principal}};
  }
  const int64_t seconds = api::Int(in, "TokenDuration", kDefaultTokenSeconds);
  return {{"IdentityId", identity["IdentityId"]},
          {"Token", IssueOpenIdToken(ctx, identity, Amr(pool, true, logins), seconds, extra)}};
}

json LookupDeveloperIdentity(api::Context& ctx, const json& in) {
  const json record = RequireIdentityPool(ctx, in["IdentityPoolId"]);
  const json& pool = record["pool"];
  const std::string pool_id = pool["IdentityPoolId"];
  const std::string developer = RequireDeveloper(pool);
  if (!Has(in, "IdentityId") && !Has(in, "DeveloperUserIdentifier")) {
    // Unconfirmed wording.
    throw errors::InvalidParameter("Either IdentityId or DeveloperUserIdentifier must be provided.");
  }
  json identity;
  if (Has(in, "DeveloperUserIdentifier")) {
    identity = RequireIdentityOfUser(ctx, pool_id, developer, in["DeveloperUserIdentifier"]);
    if (Has(in, "IdentityId") && identity["IdentityId"] != in["IdentityId"]) {
      // Unconfirmed wording.
      throw ApiError("ResourceConflictException",
                     "The developer user identifier is not linked to identity '" +
                         in["IdentityId"].get<std::string>() + "'.");
    }
  } else {
    identity = RequirePoolIdentity(ctx, pool_id, in["IdentityId"]);
  }
  const json users = identity["Logins"].value(developer, json::array());
  // Pages over the identifiers by index; the token names the last one returned.
  const std::string scope = "developer-users:" + identity["IdentityId"].get<std::string>();
  size_t start = 0;
  if (Has(in, "NextToken")) {
    auto last = api::ReadPageToken(scope, in["NextToken"].get<std::string>());
    if (!last) throw errors::InvalidParameter("Invalid pagination token.");
    auto at = std::find(users.begin(), users.end(), *last);
    start = at == users.end() ? users.size() : static_cast<size_t>(at - users.begin()) + 1;
  }
  const size_t max = static_cast<size_t>(api::Int(in, "MaxResults", 60));
  json page = json::array();
  for (size_t i = start; i < users.size() && page.size() < max; ++i) page.push_back(users[i]);
  json out = {{"IdentityId", identity["IdentityId"]}, {"DeveloperUserIdentifierList", page}};
  if (start + page.size() < users.size())
    out["NextToken"] = api::MakePageToken(scope, page.back().get<std::string>());
  return out;
}

json MergeDeveloperIdentities(api::Context& ctx, const json& in) {
  const json record = RequireIdentityPool(ctx, in["IdentityPoolId"]);
  const json& pool = record["pool"];
  const std::string pool_id = pool["IdentityPoolId"];
  const std::string developer = RequireDeveloper(pool, in["DeveloperProviderName"]);
  json source = RequireIdentityOfUser(ctx, pool_id, developer, in["SourceUserIdentifier"]);
  json destination = RequireIdentityOfUser(ctx, pool_id, developer, in["DestinationUserIdentifier"]);
  if (source["IdentityId"] == destination["IdentityId"]) return {{"IdentityId", destination["IdentityId"]}};
  const json before = destination;
  MergeInto(ctx, pool, destination, source);
  destination["LastModifiedDate"] = ctx.now();
  PutIdentity(ctx, destination, &before);
  return {{"IdentityId", destination["IdentityId"]}};
}

json UnlinkDeveloperIdentity(api::Context& ctx, const json& in) {
  const json record = RequireIdentityPool(ctx, in["IdentityPoolId"]);
  const json& pool = record["pool"];
  const std::string pool_id = pool["IdentityPoolId"];
  const std::string developer = RequireDeveloper(pool, in["DeveloperProviderName"]);
  json identity = RequirePoolIdentity(ctx, pool_id, in["IdentityId"]);
  const std::string user = in["DeveloperUserIdentifier"];
  const json before = identity;
  const json linked = identity["Logins"].value(developer, json::array());
  if (std::find(linked.begin(), linked.end(), user) == linked.end()) throw UserIdentifierNotFound(user);
  json& users = identity["Logins"][developer];
  auto at = std::find(users.begin(), users.end(), user);
  users.erase(at);
  if (users.empty()) identity["Logins"].erase(developer);
  identity["LastModifiedDate"] = ctx.now();
  PutIdentity(ctx, identity, &before);
  return json::object();
}

}  // namespace cogemu::identity
