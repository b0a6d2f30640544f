// Opaque pagination tokens: base64url of the last key returned, tagged with what they page, so
// a token from one listing is refused by another.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "emulator/crypto/hash.h"

namespace cogemu::api {

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

}  // namespace cogemu::api
