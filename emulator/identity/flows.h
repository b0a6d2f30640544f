// What the identity flows share (identities.cc, developer.cc): finding, linking and merging
// identities, the errors AWS answers them with, and credentials.
//
// Linking and merging (GetId, GetCredentialsForIdentity, GetOpenIdToken,
// GetOpenIdTokenForDeveloperIdentity):
//   - the identities involved are the one the call names (if any) and the owners of its logins;
//   - a call naming an authenticated identity must carry one of that identity's logins
//     ("Logins don't match...") unless it comes from the developer's backend (signed call);
//   - the survivor is the oldest authenticated identity involved (by CreationDate, then id), else
//     the named identity, else a new one; every other identity involved is merged into it: its
//     logins move over and it is disabled (MergedInto);
//   - logins nobody owns are linked to the survivor; a second, different login of the same
//     provider on one identity is a ResourceConflictException (the developer provider excepted:
//     MergeDeveloperIdentities gathers several identifiers on one identity).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator/api/context.h"
#include "emulator/identity/logins.h"

namespace cogemu::identity {

using json = nlohmann::json;

ApiError Forbidden(const std::string& identity_id);
ApiError LoginsDontMatch();
ApiError IdentityNotFound(const std::string& identity_id);

// The identity the logins lead to (written), after linking and merging as described above.
json ResolveIdentity(api::Context& ctx, const json& pool, const json* start, const std::vector<Login>& logins,
                     bool trusted);
// Moves the logins of `loser` to `survivor` and disables `loser` (written); the caller writes
// `survivor` afterwards.
void MergeInto(api::Context& ctx, const json& pool, json& survivor, json& loser);

// The amr claim of an OpenID token for these logins.
json Amr(const json& pool, bool authenticated, const std::vector<Login>& logins);

}  // namespace cogemu::identity
