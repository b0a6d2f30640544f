// Verifying the Logins map of GetId, GetCredentialsForIdentity, GetOpenIdToken, UnlinkIdentity
// and GetOpenIdTokenForDeveloperIdentity, and the provider names an identity pool accepts.
//
// - User pools (`cognito-idp.<region>.amazonaws.com/<poolId>`, or with `--issuer local` the
//   token's issuer without its scheme, `<host:port>/<poolId>`; both name the same provider and
//   logins are kept under the AWS form): the ID token's signature (the pool's keys), issuer,
//   `aud` (a ClientId configured for that ProviderName), expiry (emulator clock) and, with
//   ServerSideTokenCheck, that the user exists, is enabled and the token is not revoked.
// - External providers (SupportedLoginProviders, OpenIdConnectProviderARNs, SamlProviderARNs):
//   JWT tokens (Google, Apple, OIDC) are checked for structure, issuer, audience (the configured
//   app id; not for OIDC, whose client ids live in IAM) and expiry, and for their signature when
//   the issuer's JWKS was registered through POST /_emulator/identity/providers. Opaque tokens
//   (Facebook, Amazon, Twitter "token;secret", Digits) and SAML responses map to a subject
//   derived from the token (SHA-256), so the same token string always means the same user.
// - `cognito-identity.amazonaws.com`: an OpenID token this emulator issued for the pool
//   (developer-authenticated identities); it names its identity directly.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emulator/api/context.h"

namespace cogemu::identity {

using json = nlohmann::json;

struct Login {
  std::string provider;          // the provider name the login is kept under
  std::string subject;           // the user at that provider
  json claims = json::object();  // the token's claims (JWT providers)
  std::string client_id;         // user pools: the token's aud (RoleMappings key "<provider>:<client>")
  bool identity_token = false;   // a cognito-identity token: subject is the identity id
};

// Verifies every entry of a Logins map. `developer_provider`, when not empty, is accepted as a
// key whose value is a developer user identifier (GetOpenIdTokenForDeveloperIdentity).
// Throws NotAuthorizedException with AWS's messages.
std::vector<Login> VerifyLogins(api::Context& ctx, const json& pool, const json& logins,
                                const std::string& developer_provider = "");

// The provider name a Logins key is kept under (user pools' `--issuer local` keys become the
// AWS form; every other key is itself).
std::string CanonicalProvider(const Config& config, const std::string& key);

// Provider names of a pool: user-pool provider names, SupportedLoginProviders keys, OIDC
// provider hosts and ARNs, SAML provider ARNs.
std::vector<std::string> ProviderNames(const json& pool);
// What RoleMappings may be keyed by: ProviderNames plus "<user pool provider>:<ClientId>".
std::vector<std::string> RoleMappingKeys(const json& pool);
// The principal-tag map UseDefaults stands for.
json DefaultPrincipalTags();

// Control API: the JWKS of an external issuer, so its tokens' signatures are checked.
void RegisterProviderJwks(store::Txn& txn, const std::string& issuer, const json& jwks);
json ListProviderJwks(const store::Txn& txn);

}  // namespace cogemu::identity
