// Logins of external providers: Google and Apple JWTs (issuer, audience, expiry, and signature
// once the provider's JWKS is registered with the control API), OIDC providers, SAML, and the
// opaque tokens of Facebook, Amazon and Twitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetIdCommand, GetCredentialsForIdentityCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { expectError, getClock } from './support/idp.mjs';
import {
  identityEmulator, createIdentityPool, registerProvider, makeKey, signJwt, tamper, issuedCredentials, IDENTITY_ID_RE,
} from './support/identity.mjs';
import { httpRequest } from './support/idp.mjs';

const GOOGLE_APP = 'google-app.apps.googleusercontent.com';
const OIDC_HOST = 'oidc.example.com';

async function externalPool(t) {
  const env = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(env.ci, {
    SupportedLoginProviders: {
      'accounts.google.com': GOOGLE_APP, 'appleid.apple.com': 'com.example.app',
      'graph.facebook.com': '1234567890', 'www.amazon.com': 'amzn1.application.x', 'api.twitter.com': 'key;secret',
    },
    OpenIdConnectProviderARNs: [`arn:aws:iam::000000000000:oidc-provider/${OIDC_HOST}`],
    SamlProviderARNs: ['arn:aws:iam::000000000000:saml-provider/corp'],
  });
  await env.ci.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: 'arn:aws:iam::000000000000:role/auth' } }));
  const now = Math.floor((await getClock(env.url)).now);
  return { ...env, poolId: IdentityPoolId, now };
}

const getId = (ci, IdentityPoolId, Logins) => ci.send(new GetIdCommand({ IdentityPoolId, Logins }));

test('Google ID tokens: issuer, audience and expiry; signatures once the JWKS is registered', async (t) => {
  const { ci, url, poolId, now } = await externalPool(t);
  const key = makeKey();
  const claims = { iss: 'https://accounts.google.com', aud: GOOGLE_APP, sub: '1098765', iat: now, exp: now + 3600 };
  const token = signJwt(key, claims);
  const { IdentityId } = await getId(ci, poolId, { 'accounts.google.com': token });
  assert.match(IdentityId, IDENTITY_ID_RE);
  const other = signJwt(makeKey(), { ...claims, iat: now + 1 });
  assert.equal((await getId(ci, poolId, { 'accounts.google.com': other })).IdentityId, IdentityId, 'same sub, same identity');
  await expectError(getId(ci, poolId, { 'accounts.google.com': signJwt(key, { ...claims, aud: 'someone-else' }) }),
    'NotAuthorizedException', 'Invalid login token. Incorrect token audience.');
  await expectError(getId(ci, poolId, { 'accounts.google.com': signJwt(key, { ...claims, iss: 'https://evil.example' }) }),
    'NotAuthorizedException', "Invalid login token. Issuer doesn't match providerName");
  await expectError(getId(ci, poolId, { 'accounts.google.com': signJwt(key, { ...claims, exp: now - 10 }) }),
    'NotAuthorizedException', /^Invalid login token\. Token expired: \d+ >= \d+$/);
  await expectError(getId(ci, poolId, { 'accounts.google.com': 'not-a-jwt' }), 'NotAuthorizedException', /^Invalid login token\./);

  // Registered JWKS: signatures are now checked.
  const reg = await registerProvider(url, 'https://accounts.google.com', { keys: [key.jwk] });
  assert.equal(reg.status, 200, reg.text);
  await getId(ci, poolId, { 'accounts.google.com': token });
  await expectError(getId(ci, poolId, { 'accounts.google.com': other }), 'NotAuthorizedException',
    "Invalid login token. Couldn't verify signed token.");
  await expectError(getId(ci, poolId, { 'accounts.google.com': tamper(token, { sub: 'x' }) }), 'NotAuthorizedException',
    "Invalid login token. Couldn't verify signed token.");
  const bad = await registerProvider(url, 'https://x', { keys: [{ kty: 'EC' }] });
  assert.equal(bad.status, 400);
  const listed = await httpRequest(url, { path: '/_emulator/identity/providers' });
  assert.deepEqual(listed.json.providers.map((p) => p.issuer), ['https://accounts.google.com']);
});

test('Apple and OIDC providers', async (t) => {
  const { ci, poolId, now } = await externalPool(t);
  const key = makeKey();
  const apple = signJwt(key, { iss: 'https://appleid.apple.com', aud: 'com.example.app', sub: 'apple-1', exp: now + 600 });
  assert.match((await getId(ci, poolId, { 'appleid.apple.com': apple })).IdentityId, IDENTITY_ID_RE);
  const oidc = signJwt(key, { iss: `https://${OIDC_HOST}`, aud: 'any-client', sub: 'o-1', exp: now + 600 });
  const { IdentityId } = await getId(ci, poolId, { [OIDC_HOST]: oidc });
  const r = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [OIDC_HOST]: oidc } }));
  assert.equal(r.IdentityId, IdentityId);
  await expectError(getId(ci, poolId, { [OIDC_HOST]: signJwt(key, { iss: 'https://other.example.com', aud: 'a', sub: 's', exp: now + 600 }) }),
    'NotAuthorizedException', "Invalid login token. Issuer doesn't match providerName");
  await expectError(getId(ci, poolId, { 'other.example.com': oidc }), 'NotAuthorizedException',
    'Token is not from a supported provider of this identity pool.');
});

test('opaque tokens map to the same identity for the same token; Twitter needs token;secret', async (t) => {
  const { ci, poolId } = await externalPool(t);
  const fb = await getId(ci, poolId, { 'graph.facebook.com': 'EAAGm0PX4ZCpsBAfacebook' });
  assert.equal((await getId(ci, poolId, { 'graph.facebook.com': 'EAAGm0PX4ZCpsBAfacebook' })).IdentityId, fb.IdentityId);
  assert.notEqual((await getId(ci, poolId, { 'graph.facebook.com': 'EAAother' })).IdentityId, fb.IdentityId);
  assert.match((await getId(ci, poolId, { 'www.amazon.com': 'Atza|IwEBIamazon' })).IdentityId, IDENTITY_ID_RE);
  assert.match((await getId(ci, poolId, { 'api.twitter.com': 'tok;sec' })).IdentityId, IDENTITY_ID_RE);
  await expectError(getId(ci, poolId, { 'api.twitter.com': 'no-secret' }), 'NotAuthorizedException', /^Invalid login token\./);
});

test('SAML responses under the provider ARN', async (t) => {
  const { ci, poolId } = await externalPool(t);
  const arn = 'arn:aws:iam::000000000000:saml-provider/corp';
  const response = Buffer.from('<samlp:Response><saml:Assertion><saml:NameID>jane</saml:NameID></saml:Assertion></samlp:Response>').toString('base64');
  const { IdentityId } = await getId(ci, poolId, { [arn]: response });
  assert.equal((await getId(ci, poolId, { [arn]: response })).IdentityId, IdentityId);
  await expectError(getId(ci, poolId, { [arn]: Buffer.from('hello').toString('base64') }), 'NotAuthorizedException', /^Invalid login token\./);
});

test('tokens with claims of the wrong JSON types are refused, never a server error', async (t) => {
  const { ci, poolId } = await externalPool(t);
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const odd = `${enc({ alg: 'RS256', kid: 5 })}.${enc({ iss: 7, sub: 1, aud: [], exp: 'soon' })}.${Buffer.from('sig').toString('base64url')}`;
  for (const key of ['accounts.google.com', 'cognito-identity.amazonaws.com', OIDC_HOST]) {
    await expectError(getId(ci, poolId, { [key]: odd }), 'NotAuthorizedException', /^Invalid login token\./);
  }
});

test('OIDC logins follow a role mapping keyed by the provider ARN', async (t) => {
  const { ci, url, poolId, now } = await externalPool(t);
  const arn = `arn:aws:iam::000000000000:oidc-provider/${OIDC_HOST}`;
  const ADMIN = 'arn:aws:iam::000000000000:role/oidc-admin';
  await ci.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId: poolId, Roles: { authenticated: 'arn:aws:iam::000000000000:role/auth' },
    RoleMappings: { [arn]: { Type: 'Rules', AmbiguousRoleResolution: 'Deny',
      RulesConfiguration: { Rules: [{ Claim: 'groups', MatchType: 'Contains', Value: 'admin', RoleARN: ADMIN }] } } },
  }));
  const key = makeKey();
  const admin = signJwt(key, { iss: `https://${OIDC_HOST}`, aud: 'c', sub: 'a-1', groups: ['staff', 'admins'], exp: now + 600 });
  const { IdentityId } = await getId(ci, poolId, { [OIDC_HOST]: admin });
  await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [OIDC_HOST]: admin } }));
  assert.equal((await issuedCredentials(url, { identityId: IdentityId })).at(-1).RoleArn, ADMIN);
  const plain = signJwt(key, { iss: `https://${OIDC_HOST}`, aud: 'c', sub: 'p-1', groups: ['staff'], exp: now + 600 });
  const p = await getId(ci, poolId, { [OIDC_HOST]: plain });
  await expectError(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: p.IdentityId, Logins: { [OIDC_HOST]: plain } })),
    'NotAuthorizedException', 'The ambiguous role mapping rules denied this request.');
});
