// Opaque pagination tokens: base64url of the last key returned, tagged with what they page, so
// a token from one listing is refused by another.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <functional>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/hash.h"
#include "emulator/store/store.h"

namespace cogemu::api {

// A listing's page size: the request's `member` (the model bounds it, e.g. 0-60), or `max` when
// it is absent or 0.
inline size_t PageSize(const nlohmann::json& in, std::string_view member, size_t max) {
  const int64_t limit = Int(in, member, 0);
  return limit <= 0 ? max : static_cast<size_t>(limit);
}

inline std::string MakePageToken(std::string_view scope, std::string_view last_key) {
  std::string raw(scope);
  raw += '\n';
  raw += last_key;
  return crypto::Base64UrlEncode(raw);
}

// The last key, or nullopt if the token is not one of ours for `scope`.
inline std::optional<std::string> ReadPageToken(std::string_view scope, std::string_view token) {
  auto raw = crypto::Base64UrlDecode(token);
  if (!raw || raw->size() <= scope.size() || raw->compare(0, scope.size(), scope) != 0 ||
      (*raw)[scope.size()] != '\n') {
    return std::nullopt;
  }
  return raw->substr(scope.size() + 1);
}

// One page of a listing: visits up to `max` entries under `prefix`, resuming after the key in
// `token` (a token of this `scope`, else InvalidParameterException), and returns the token of
// the next page when entries remain.
inline std::optional<std::string> ScanPage(
    const store::Txn& txn, store::Table table, std::string_view prefix, std::string_view scope,
    const std::optional<std::string>& token, size_t max,
    const std::function<void(std::string_view key, std::string_view value)>& take) {
  std::optional<std::string> after;
  if (token) {
    after = ReadPageToken(scope, *token);
    if (!after) throw errors::InvalidParameter("Invalid pagination token.");
  }
  size_t taken = 0;
  bool more = false;
  std::string last_key;
  txn.Scan(table, prefix, after, [&](std::string_view key, std::string_view value) {
    if (taken == max) {
      more = true;
      return false;
    }
    take(key, value);
    ++taken;
    last_key = key;
    return true;
  });
  if (!more) return std::nullopt;
  return MakePageToken(scope, last_key);
}

}  // namespace cogemu::api
