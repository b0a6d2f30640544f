// OpenID tokens of identity pools (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity), their
// JWKS, and developer-authenticated identities (Lookup, Merge, Unlink).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import {
  GetIdCommand, GetOpenIdTokenCommand, GetOpenIdTokenForDeveloperIdentityCommand, LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand, UnlinkDeveloperIdentityCommand, GetCredentialsForIdentityCommand,
  SetIdentityPoolRolesCommand, DescribeIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { rawCall, IDENTITY_TARGET } from './harness.mjs';
import { expectError, decodeJwt, httpRequest, getClock } from './support/idp.mjs';
import { identityEmulator, createIdentityPool, signedInUser, IDENTITY_ID_RE } from './support/identity.mjs';

const DEV = 'login.example.app';
const AUTH = 'arn:aws:iam::000000000000:role/auth';

async function verifyWithJwks(url, token) {
  const r = await httpRequest(url, { path: '/.well-known/jwks_uri' });
  assert.equal(r.status, 200, r.text);
  const { header, payload } = decodeJwt(token);
  assert.equal(header.alg, 'RS256');
  const jwk = r.json.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, 'the token kid is in the JWKS');
  const [h, p, s] = token.split('.');
  const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
  assert.ok(ok, 'signature verifies with the served JWKS');
  return payload;
}

async function devPool(t, extra = {}) {
  const env = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(env.ci, { DeveloperProviderName: DEV, ...extra });
  await env.ci.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: AUTH } }));
  return { ...env, poolId: IdentityPoolId };
}

const devToken = (ci, IdentityPoolId, user, extra = {}) => ci.send(new GetOpenIdTokenForDeveloperIdentityCommand({
  IdentityPoolId, Logins: { [DEV]: user }, ...extra,
}));

test('GetOpenIdToken: a 10-minute RS256 token verified by /.well-known/jwks_uri', async (t) => {
  const { ci, url, idp } = await identityEmulator(t);
  const user = await signedInUser(idp);
  const { IdentityPoolId } = await createIdentityPool(ci, {
    AllowUnauthenticatedIdentities: true, AllowClassicFlow: true,
    CognitoIdentityProviders: [{ ProviderName: user.provider, ClientId: user.clientId }],
  });
  const guest = await ci.send(new GetIdCommand({ IdentityPoolId }));
  const g = await ci.send(new GetOpenIdTokenCommand({ IdentityId: guest.IdentityId }));
  assert.equal(g.IdentityId, guest.IdentityId);
  const now = Math.floor((await getClock(url)).now);
  const claims = await verifyWithJwks(url, g.Token);
  assert.equal(claims.iss, 'https://cognito-identity.amazonaws.com');
  assert.equal(claims.sub, guest.IdentityId);
  assert.equal(claims.aud, IdentityPoolId);
  assert.deepEqual(claims.amr, ['unauthenticated']);
  assert.equal(claims.exp - claims.iat, 600);
  assert.ok(Math.abs(claims.iat - now) <= 2);

  const Logins = { [user.provider]: user.idToken };
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId, Logins }));
  const a = await ci.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
  const authClaims = await verifyWithJwks(url, a.Token);
  assert.deepEqual(authClaims.amr, ['authenticated', user.provider, `${user.provider}:CognitoSignIn:${user.sub}`]);
  await expectError(ci.send(new GetOpenIdTokenCommand({ IdentityId })), 'NotAuthorizedException', /Logins don't match/);
});

test('GetOpenIdToken needs AllowClassicFlow, and is unsigned', async (t) => {
  const { ci, url } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci, { AllowUnauthenticatedIdentities: true });
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId }));
  await expectError(ci.send(new GetOpenIdTokenCommand({ IdentityId })), 'InvalidParameterException',
    'Basic (classic) flow is not enabled for this identity pool.');
  const r = await rawCall(url, `${IDENTITY_TARGET}.GetId`, JSON.stringify({ IdentityPoolId }), { authorization: null });
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.IdentityId, IDENTITY_ID_RE);
});

test('GetOpenIdTokenForDeveloperIdentity: one identity per developer user, TokenDuration, amr', async (t) => {
  const { ci, url, poolId } = await devPool(t);
  const first = await devToken(ci, poolId, 'user-1');
  assert.match(first.IdentityId, IDENTITY_ID_RE);
  const claims = await verifyWithJwks(url, first.Token);
  assert.equal(claims.exp - claims.iat, 900, 'default 15 minutes');
  assert.deepEqual(claims.amr.slice(0, 2), ['authenticated', DEV]);
  assert.equal(claims.aud, poolId);
  const again = await devToken(ci, poolId, 'user-1', { TokenDuration: 86400, PrincipalTags: { dept: 'eng' } });
  assert.equal(again.IdentityId, first.IdentityId);
  const long = decodeJwt(again.Token).payload;
  assert.equal(long.exp - long.iat, 86400);
  assert.deepEqual(long['https://aws.amazon.com/tags'], { principal_tags: { dept: ['eng'] } });
  await expectError(devToken(ci, poolId, 'user-1', { TokenDuration: 86401 }), 'InvalidParameterException');
  // The token is a login of the pool for the enhanced flow.
  const r = await ci.send(new GetCredentialsForIdentityCommand({
    IdentityId: first.IdentityId, Logins: { 'cognito-identity.amazonaws.com': first.Token },
  }));
  assert.equal(r.IdentityId, first.IdentityId);
  assert.match(r.Credentials.AccessKeyId, /^ASIA/);
  // Another pool's token is not.
  const other = await createIdentityPool(ci, { DeveloperProviderName: DEV });
  const foreign = await devToken(ci, other.IdentityPoolId, 'user-1');
  await expectError(ci.send(new GetCredentialsForIdentityCommand({
    IdentityId: first.IdentityId, Logins: { 'cognito-identity.amazonaws.com': foreign.Token },
  })), 'NotAuthorizedException', 'Invalid login token. Incorrect token audience.');
});

test('developer logins are refused where the pool has no such provider; the call is signed', async (t) => {
  const { ci, url } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci);
  await expectError(devToken(ci, IdentityPoolId, 'u'), 'NotAuthorizedException',
    'Token is not from a supported provider of this identity pool.');
  const r = await rawCall(url, `${IDENTITY_TARGET}.GetOpenIdTokenForDeveloperIdentity`,
    JSON.stringify({ IdentityPoolId, Logins: { [DEV]: 'u' } }), { authorization: null });
  assert.equal(r.json.__type, 'MissingAuthenticationTokenException');
});

test('linking a developer user to an identity, and one registered elsewhere', async (t) => {
  const { ci, poolId } = await devPool(t, { AllowUnauthenticatedIdentities: true });
  const guest = await ci.send(new GetIdCommand({ IdentityPoolId: poolId }));
  const linked = await devToken(ci, poolId, 'alice', { IdentityId: guest.IdentityId });
  assert.equal(linked.IdentityId, guest.IdentityId);
  assert.deepEqual((await ci.send(new DescribeIdentityCommand({ IdentityId: guest.IdentityId }))).Logins, [DEV]);
  const bob = await devToken(ci, poolId, 'bob');
  await expectError(devToken(ci, poolId, 'bob', { IdentityId: guest.IdentityId }), 'DeveloperUserAlreadyRegisteredException',
    'The provided developer user identifier is already registered with Cognito under a different identity ID.');
  assert.notEqual(bob.IdentityId, guest.IdentityId);
});

test('LookupDeveloperIdentity, MergeDeveloperIdentities, UnlinkDeveloperIdentity', async (t) => {
  const { ci, poolId } = await devPool(t);
  const a = await devToken(ci, poolId, 'alice');
  const b = await devToken(ci, poolId, 'bob');
  const lookup = (input) => ci.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, ...input }));
  assert.deepEqual((await lookup({ DeveloperUserIdentifier: 'alice' })).IdentityId, a.IdentityId);
  assert.deepEqual((await lookup({ IdentityId: b.IdentityId })).DeveloperUserIdentifierList, ['bob']);
  await expectError(lookup({ DeveloperUserIdentifier: 'nobody' }), 'ResourceNotFoundException');
  await expectError(lookup({}), 'InvalidParameterException');

  const merged = await ci.send(new MergeDeveloperIdentitiesCommand({
    IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'bob', DestinationUserIdentifier: 'alice',
  }));
  assert.equal(merged.IdentityId, a.IdentityId);
  const both = await lookup({ IdentityId: a.IdentityId });
  assert.deepEqual(both.DeveloperUserIdentifierList.sort(), ['alice', 'bob']);
  const page1 = await lookup({ IdentityId: a.IdentityId, MaxResults: 1 });
  assert.equal(page1.DeveloperUserIdentifierList.length, 1);
  assert.ok(page1.NextToken);
  const page2 = await lookup({ IdentityId: a.IdentityId, MaxResults: 1, NextToken: page1.NextToken });
  assert.equal(page2.NextToken, undefined);
  assert.deepEqual([...page1.DeveloperUserIdentifierList, ...page2.DeveloperUserIdentifierList].sort(), ['alice', 'bob']);
  assert.equal((await devToken(ci, poolId, 'bob')).IdentityId, a.IdentityId, 'bob now signs in to the merged identity');
  await expectError(ci.send(new MergeDeveloperIdentitiesCommand({
    IdentityPoolId: poolId, DeveloperProviderName: 'other.provider', SourceUserIdentifier: 'bob', DestinationUserIdentifier: 'alice',
  })), 'ResourceNotFoundException');

  await ci.send(new UnlinkDeveloperIdentityCommand({
    IdentityPoolId: poolId, IdentityId: a.IdentityId, DeveloperProviderName: DEV, DeveloperUserIdentifier: 'bob',
  }));
  assert.deepEqual((await lookup({ IdentityId: a.IdentityId })).DeveloperUserIdentifierList, ['alice']);
  await expectError(ci.send(new UnlinkDeveloperIdentityCommand({
    IdentityPoolId: poolId, IdentityId: a.IdentityId, DeveloperProviderName: DEV, DeveloperUserIdentifier: 'bob',
  })), 'ResourceNotFoundException');
  assert.notEqual((await devToken(ci, poolId, 'bob')).IdentityId, a.IdentityId, 'bob is a new identity again');
});
