// ListUsers: the users of a pool, all of them or those one Filter condition matches, a page at a
// time. The filter grammar is rules/user_filter.h; the indexes that answer it, users.h
// SearchUsers (a filtered call costs the same on a pool of ten users or of a hundred thousand).
//
// PaginationToken: base64url of a scope (the pool and a digest of the parsed filter), the
// token's expiry and the position of the last user returned (a store key), so that a next page
// resumes after that user whatever was added or removed meanwhile, and a token is refused by a
// call with another filter (white space and escapes aside) or after 1 hour by the emulator clock,
// as AWS documents. AttributesToGet and Limit may change between pages.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/crypto/hash.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {
namespace {

namespace keys = store::keys;

constexpr int64_t kTokenLifetimeSeconds = 3600;

// AWS's answer to a token used with another filter (gh:aws/aws-sdk-js#3705, observed).
// Unconfirmed: that a malformed or expired token gets the same answer.
ApiError InvalidToken() { return errors::InvalidParameter("Paging Marker is Invalid for Request"); }

// AttributesToGet naming an attribute the pool's schema lacks, or (per the model's
// documentation) one that a listed user has no value for: the wording observed in
// gh:aws/aws-sdk-js#2570.
ApiError MissingAttribute() { return errors::InvalidParameter("One or more requested attributes do not exist."); }

std::string TokenScope(const std::string& pool_id, const std::optional<rules::UserFilter>& filter) {
  std::string scope = "list-users:";
  scope += pool_id;
  scope += ':';
  scope += crypto::HexEncode(crypto::Sha256(rules::CanonicalUserFilter(filter))).substr(0, 32);
  return scope;
}

// The position to resume after, from a token of `scope`.
std::optional<std::string> ReadToken(const api::Context& ctx, const json& in, const std::string& scope) {
  const std::optional<std::string> token = api::OptStr(in, "PaginationToken");
  if (!token) return std::nullopt;
  const std::optional<std::string> payload = api::ReadPageToken(scope, *token);
  if (!payload || payload->size() <= 8) throw InvalidToken();
  const int64_t expires = static_cast<int64_t>(keys::ReadU64(payload->substr(0, 8)));
  if (ctx.clock.NowSeconds() >= expires) throw InvalidToken();
  return payload->substr(8);
}

std::string MakeToken(const api::Context& ctx, const std::string& scope, std::string_view position) {
  std::string payload = keys::U64(static_cast<uint64_t>(ctx.clock.NowSeconds() + kTokenLifetimeSeconds));
  payload.append(position.data(), position.size());
  return api::MakePageToken(scope, payload);
}

bool InSchema(const json& pool, const std::string& name) {
  const json* schema = api::Find(pool, "SchemaAttributes");
  if (!schema || !schema->is_array()) return false;
  return std::any_of(schema->begin(), schema->end(),
                     [&](const json& entry) { return entry.value("Name", "") == name; });
}

// AttributesToGet, checked against the schema; nullopt when absent (every attribute).
std::optional<std::vector<std::string>> RequestedAttributes(const json& pool, const json& in) {
  const json* list = api::Find(in, "AttributesToGet");
  if (!list || !list->is_array()) return std::nullopt;
  std::vector<std::string> names;
  for (const json& item : *list) {
    const std::string name = item.get<std::string>();
    // AWS refuses sub here with this wording (gh:aws-samples/sample-collaborative-ai-dlc#52).
    if (name == "sub") throw errors::InvalidParameter("Input fails to satisfy the constraints.");
    if (!InSchema(pool, name)) throw MissingAttribute();
    names.push_back(name);
  }
  return names;
}

// UserType with only the requested attributes, in the record's order. An empty AttributesToGet
// leaves Attributes out (observed: gh:aws/aws-sdk-js#2203 and #2570 see no attributes).
json ListedUser(const json& record, const std::optional<std::vector<std::string>>& requested) {
  json user = UserType(record);
  if (!requested) return user;
  if (requested->empty()) {
    user.erase("Attributes");
    return user;
  }
  const json& attrs = record["Attributes"];
  json list = json::array();
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    if (std::find(requested->begin(), requested->end(), it.key()) != requested->end()) {
      list.push_back({{"Name", it.key()}, {"Value", it.value()}});
    }
  }
  for (const std::string& name : *requested) {
    if (!attrs.contains(name)) throw MissingAttribute();
  }
  user["Attributes"] = std::move(list);
  return user;
}

}  // namespace

json ListUsers(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  const SharedPool shared_pool = RequirePool(ctx, pool_id);
  const json& pool = shared_pool.pool();
  const std::optional<rules::UserFilter> filter = rules::ParseUserFilter(api::Str(in, "Filter"));
  const std::optional<std::vector<std::string>> requested = RequestedAttributes(pool, in);
  const std::string scope = TokenScope(pool_id, filter);
  const std::optional<std::string> after = ReadToken(ctx, in, scope);
  const size_t max = api::PageSize(in, "Limit", 60);  // Limit: 0-60; absent (or 0) means 60

  json users = json::array();
  std::string last;
  bool more = false;
  SearchUsers(ctx.txn, pool, filter, after, [&](std::string_view position, const json& record) {
    if (users.size() == max) {
      more = true;
      return false;
    }
    users.push_back(ListedUser(record, requested));
    last = position;
    return true;
  });
  json out = {{"Users", std::move(users)}};
  if (more) out["PaginationToken"] = MakeToken(ctx, scope, last);
  return out;
}

}  // namespace cogemu::idp
