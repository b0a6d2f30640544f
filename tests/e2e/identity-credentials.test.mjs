// GetId and GetCredentialsForIdentity with the emulator's own user pools: verified logins,
// unauthenticated identities, role resolution and credentials, and every refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetIdCommand, GetCredentialsForIdentityCommand, SetIdentityPoolRolesCommand, DeleteIdentityPoolCommand,
  SetPrincipalTagAttributeMapCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  GlobalSignOutCommand, AdminDisableUserCommand, AdminDeleteUserCommand, CreateGroupCommand,
  AdminAddUserToGroupCommand, RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectError, setClock, getClock, passwordAuth, createClient, PASSWORD } from './support/idp.mjs';
import {
  identityEmulator, createIdentityPool, signedInUser, issuedCredentials, tamper, IDENTITY_ID_RE,
} from './support/identity.mjs';

const AUTH = 'arn:aws:iam::000000000000:role/auth';
const UNAUTH = 'arn:aws:iam::000000000000:role/unauth';
const GOLD = 'arn:aws:iam::000000000000:role/gold';
const ADMIN = 'arn:aws:iam::000000000000:role/admin';
const STAFF = 'arn:aws:iam::000000000000:role/staff';

async function setup(t, { allowUnauth = false, serverSideTokenCheck = false, roles = { authenticated: AUTH, unauthenticated: UNAUTH } } = {}) {
  const env = await identityEmulator(t);
  const user = await signedInUser(env.idp);
  const pool = await createIdentityPool(env.ci, {
    AllowUnauthenticatedIdentities: allowUnauth,
    CognitoIdentityProviders: [{ ProviderName: user.provider, ClientId: user.clientId, ServerSideTokenCheck: serverSideTokenCheck }],
  });
  if (roles) await env.ci.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool.IdentityPoolId, Roles: roles }));
  return { ...env, user, poolId: pool.IdentityPoolId };
}

const getId = (ci, IdentityPoolId, Logins) => ci.send(new GetIdCommand({ IdentityPoolId, Logins }));
const creds = (ci, IdentityId, Logins, extra = {}) =>
  ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins, ...extra }));

test('an ID token login gets one identity, and credentials shaped like STS credentials', async (t) => {
  const { ci, url, user, poolId } = await setup(t);
  const Logins = { [user.provider]: user.idToken };
  const { IdentityId } = await getId(ci, poolId, Logins);
  assert.match(IdentityId, IDENTITY_ID_RE);
  assert.equal((await getId(ci, poolId, Logins)).IdentityId, IdentityId, 'same login, same identity');
  const now = (await getClock(url)).now;
  const r = await creds(ci, IdentityId, Logins);
  assert.equal(r.IdentityId, IdentityId);
  assert.match(r.Credentials.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(r.Credentials.SecretKey.length, 40);
  assert.ok(r.Credentials.SessionToken.length > 100);
  assert.ok(r.Credentials.Expiration instanceof Date);
  const lifetime = r.Credentials.Expiration.getTime() / 1000 - now;
  assert.ok(lifetime > 3590 && lifetime <= 3601, `expires in an hour (${lifetime})`);
  const issued = await issuedCredentials(url, { identityId: IdentityId });
  assert.equal(issued.length, 1);
  assert.equal(issued[0].AccessKeyId, r.Credentials.AccessKeyId);
  assert.equal(issued[0].RoleArn, AUTH);
  assert.equal(issued[0].Authenticated, true);
  assert.equal(issued[0].SecretKey, undefined, 'the secret is never kept');
});

test('a fresh sign-in of the same user maps to the same identity', async (t) => {
  const { ci, idp, user, poolId } = await setup(t);
  const first = await getId(ci, poolId, { [user.provider]: user.idToken });
  const { AuthenticationResult } = await passwordAuth(idp, user.clientId, user.username, PASSWORD);
  const second = await getId(ci, poolId, { [user.provider]: AuthenticationResult.IdToken });
  assert.equal(second.IdentityId, first.IdentityId);
});

test('unauthenticated identities only when the pool allows them', async (t) => {
  const { ci, url, user, poolId } = await setup(t, { allowUnauth: true });
  const a = await getId(ci, poolId);
  const b = await getId(ci, poolId);
  assert.notEqual(a.IdentityId, b.IdentityId, 'each guest gets its own identity');
  const r = await creds(ci, a.IdentityId);
  assert.match(r.Credentials.AccessKeyId, /^ASIA/);
  assert.equal((await issuedCredentials(url, { identityId: a.IdentityId }))[0].RoleArn, UNAUTH);
  const closed = await createIdentityPool(ci, {
    CognitoIdentityProviders: [{ ProviderName: user.provider, ClientId: user.clientId }],
  });
  await expectError(getId(ci, closed.IdentityPoolId), 'NotAuthorizedException',
    'Unauthenticated access is not supported for this identity pool.');
});

test('a guest identity that signs in becomes authenticated', async (t) => {
  const { ci, url, user, poolId } = await setup(t, { allowUnauth: true });
  const guest = await getId(ci, poolId);
  const r = await creds(ci, guest.IdentityId, { [user.provider]: user.idToken });
  assert.equal(r.IdentityId, guest.IdentityId);
  assert.equal((await getId(ci, poolId, { [user.provider]: user.idToken })).IdentityId, guest.IdentityId);
  const issued = await issuedCredentials(url, { identityId: guest.IdentityId });
  assert.equal(issued.at(-1).RoleArn, AUTH);
  await expectError(creds(ci, guest.IdentityId), 'NotAuthorizedException',
    "Logins don't match. Please include at least one valid login for this identity or identity pool.");
});

test('a guest identity whose login already has an identity is merged into it', async (t) => {
  const { ci, user, poolId } = await setup(t, { allowUnauth: true });
  const Logins = { [user.provider]: user.idToken };
  const owner = await getId(ci, poolId, Logins);
  const guest = await getId(ci, poolId);
  const r = await creds(ci, guest.IdentityId, Logins);
  assert.equal(r.IdentityId, owner.IdentityId, 'the surviving identity is returned');
  await expectError(creds(ci, guest.IdentityId), 'NotAuthorizedException', `Access to Identity '${guest.IdentityId}' is forbidden.`);
});

test('unknown identities are forbidden', async (t) => {
  const { ci } = await setup(t);
  const id = 'us-east-1:11111111-1111-4111-8111-111111111111';
  await expectError(creds(ci, id), 'NotAuthorizedException', `Access to Identity '${id}' is forbidden.`);
});

test('an authenticated identity needs its own login', async (t) => {
  const { ci, idp, user, poolId } = await setup(t);
  const { IdentityId } = await getId(ci, poolId, { [user.provider]: user.idToken });
  await expectError(creds(ci, IdentityId), 'NotAuthorizedException',
    "Logins don't match. Please include at least one valid login for this identity or identity pool.");
  const other = await signedInUser(idp, { poolId: user.poolId, clientId: user.clientId });
  await expectError(creds(ci, IdentityId, { [user.provider]: other.idToken }), 'NotAuthorizedException', /Logins don't match/);
});

test('tokens that are not valid logins are refused with AWS messages', async (t) => {
  const { ci, url, idp, user, poolId } = await setup(t);
  await expectError(getId(ci, poolId, { [user.provider]: user.accessToken }), 'NotAuthorizedException',
    'Invalid login token. Missing a required claim: aud');
  await expectError(getId(ci, poolId, { [user.provider]: tamper(user.idToken, { sub: 'someone-else' }) }),
    'NotAuthorizedException', "Invalid login token. Couldn't verify signed token.");
  // A token of another pool under this pool's key: the issuer does not match.
  const stranger = await signedInUser(idp);
  await expectError(getId(ci, poolId, { [user.provider]: stranger.idToken }), 'NotAuthorizedException',
    "Invalid login token. Issuer doesn't match providerName");
  // The other pool is not a provider of this identity pool.
  await expectError(getId(ci, poolId, { [stranger.provider]: stranger.idToken }), 'NotAuthorizedException',
    'Token is not from a supported provider of this identity pool.');
  await expectError(getId(ci, poolId, { 'graph.facebook.com': 'EAAtoken' }), 'NotAuthorizedException',
    'Token is not from a supported provider of this identity pool.');
  // A client of the same pool that the identity pool does not list.
  const client2 = await createClient(idp, user.poolId);
  const { AuthenticationResult } = await passwordAuth(idp, client2.ClientId, user.username, PASSWORD);
  await expectError(getId(ci, poolId, { [user.provider]: AuthenticationResult.IdToken }), 'NotAuthorizedException',
    'Invalid login token. Incorrect token audience.');
  // Expired, by the emulator clock.
  const exp = JSON.parse(Buffer.from(user.idToken.split('.')[1], 'base64url')).exp;
  await setClock(url, { set: exp + 5, freeze: true });
  await expectError(getId(ci, poolId, { [user.provider]: user.idToken }), 'NotAuthorizedException',
    `Invalid login token. Token expired: ${exp + 5} >= ${exp}`);
});

test('ServerSideTokenCheck refuses signed-out, disabled and deleted users; without it they pass', async (t) => {
  const { ci, idp, user, poolId } = await setup(t, { serverSideTokenCheck: true });
  const loose = await createIdentityPool(ci, {
    CognitoIdentityProviders: [{ ProviderName: user.provider, ClientId: user.clientId }],
  });
  const Logins = { [user.provider]: user.idToken };
  await getId(ci, poolId, Logins);
  await idp.send(new GlobalSignOutCommand({ AccessToken: user.accessToken }));
  await expectError(getId(ci, poolId, Logins), 'NotAuthorizedException', /^Invalid login token\. /);
  await getId(ci, loose.IdentityPoolId, Logins);
  const u2 = await signedInUser(idp, { poolId: user.poolId, clientId: user.clientId });
  await idp.send(new AdminDisableUserCommand({ UserPoolId: user.poolId, Username: u2.username }));
  await expectError(getId(ci, poolId, { [user.provider]: u2.idToken }), 'NotAuthorizedException', /^Invalid login token\. /);
  const u3 = await signedInUser(idp, { poolId: user.poolId, clientId: user.clientId });
  await idp.send(new AdminDeleteUserCommand({ UserPoolId: user.poolId, Username: u3.username }));
  await expectError(getId(ci, poolId, { [user.provider]: u3.idToken }), 'NotAuthorizedException', /^Invalid login token\. /);
  // RevokeToken of a sign-in's refresh token revokes the ID token of that sign-in, not others.
  const u4 = await signedInUser(idp, { poolId: user.poolId, clientId: user.clientId });
  const { AuthenticationResult: other } = await passwordAuth(idp, user.clientId, u4.username, PASSWORD);
  await idp.send(new RevokeTokenCommand({ ClientId: user.clientId, Token: u4.refreshToken }));
  await expectError(getId(ci, poolId, { [user.provider]: u4.idToken }), 'NotAuthorizedException', /^Invalid login token\. /);
  await getId(ci, poolId, { [user.provider]: other.IdToken });
});

test('no role configured is InvalidIdentityPoolConfigurationException', async (t) => {
  const { ci, user, poolId } = await setup(t, { allowUnauth: true, roles: { unauthenticated: UNAUTH } });
  const Logins = { [user.provider]: user.idToken };
  const { IdentityId } = await getId(ci, poolId, Logins);
  await expectError(creds(ci, IdentityId, Logins), 'InvalidIdentityPoolConfigurationException',
    'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
});

test('role mapping by rules: first match wins, then AmbiguousRoleResolution', async (t) => {
  const { ci, url, user, poolId } = await setup(t);
  const key = `${user.provider}:${user.clientId}`;
  const setRules = (ambiguous, rules) => ci.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId: poolId, Roles: { authenticated: AUTH },
    RoleMappings: { [key]: { Type: 'Rules', AmbiguousRoleResolution: ambiguous, RulesConfiguration: { Rules: rules } } },
  }));
  const Logins = { [user.provider]: user.idToken };
  const { IdentityId } = await getId(ci, poolId, Logins);
  const roleNow = async () => {
    await creds(ci, IdentityId, Logins);
    return (await issuedCredentials(url, { identityId: IdentityId })).at(-1).RoleArn;
  };
  await setRules('AuthenticatedRole', [
    { Claim: 'cognito:username', MatchType: 'NotEqual', Value: user.username, RoleARN: STAFF },
    { Claim: 'cognito:username', MatchType: 'StartsWith', Value: user.username.slice(0, 3), RoleARN: GOLD },
    { Claim: 'aud', MatchType: 'Equals', Value: user.clientId, RoleARN: ADMIN },
  ]);
  assert.equal(await roleNow(), GOLD);
  await setRules('AuthenticatedRole', [
    { Claim: 'custom:missing', MatchType: 'NotEqual', Value: 'x', RoleARN: STAFF },
    { Claim: 'iss', MatchType: 'Contains', Value: user.poolId, RoleARN: ADMIN },
  ]);
  assert.equal(await roleNow(), ADMIN, 'NotEqual on a missing claim is skipped');
  await setRules('AuthenticatedRole', [{ Claim: 'aud', MatchType: 'Equals', Value: 'nope', RoleARN: STAFF }]);
  assert.equal(await roleNow(), AUTH);
  await setRules('Deny', [{ Claim: 'aud', MatchType: 'Equals', Value: 'nope', RoleARN: STAFF }]);
  await expectError(creds(ci, IdentityId, Logins), 'NotAuthorizedException', 'The ambiguous role mapping rules denied this request.');
});

test('role mapping by token: CustomRoleArn, preferred role, ambiguous', async (t) => {
  const { ci, url, idp, user, poolId } = await setup(t);
  for (const [GroupName, RoleArn, Precedence] of [['admins', ADMIN, 1], ['staff', STAFF, 2]]) {
    await idp.send(new CreateGroupCommand({ UserPoolId: user.poolId, GroupName, RoleArn, Precedence }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: user.poolId, GroupName, Username: user.username }));
  }
  const { AuthenticationResult } = await passwordAuth(idp, user.clientId, user.username, PASSWORD);
  const Logins = { [user.provider]: AuthenticationResult.IdToken };
  await ci.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId: poolId, Roles: { authenticated: AUTH },
    RoleMappings: { [user.provider]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } },
  }));
  const { IdentityId } = await getId(ci, poolId, Logins);
  const last = async () => (await issuedCredentials(url, { identityId: IdentityId })).at(-1).RoleArn;
  await creds(ci, IdentityId, Logins);
  assert.equal(await last(), ADMIN, 'cognito:preferred_role');
  await creds(ci, IdentityId, Logins, { CustomRoleArn: STAFF });
  assert.equal(await last(), STAFF, 'a CustomRoleArn among cognito:roles');
  await expectError(creds(ci, IdentityId, Logins, { CustomRoleArn: GOLD }), 'NotAuthorizedException');
  // A user without groups: no preferred role, so AmbiguousRoleResolution decides.
  const plain = await signedInUser(idp, { poolId: user.poolId, clientId: user.clientId });
  const plainLogins = { [user.provider]: plain.idToken };
  const p = await getId(ci, poolId, plainLogins);
  await expectError(creds(ci, p.IdentityId, plainLogins), 'NotAuthorizedException', 'The ambiguous role mapping rules denied this request.');
});

test('identities go with their pool', async (t) => {
  const { ci, user, poolId } = await setup(t);
  const Logins = { [user.provider]: user.idToken };
  const { IdentityId } = await getId(ci, poolId, Logins);
  await ci.send(new DeleteIdentityPoolCommand({ IdentityPoolId: poolId }));
  await expectError(creds(ci, IdentityId, Logins), 'NotAuthorizedException', `Access to Identity '${IdentityId}' is forbidden.`);
  await expectError(getId(ci, poolId, Logins), 'ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
});

test('principal-tag maps tag the issued credentials with the claims of the login', async (t) => {
  const { ci, url, user, poolId } = await setup(t);
  const Logins = { [user.provider]: user.idToken };
  const { IdentityId } = await getId(ci, poolId, Logins);
  await creds(ci, IdentityId, Logins);
  assert.equal((await issuedCredentials(url, { identityId: IdentityId })).at(-1).PrincipalTags, undefined);
  await ci.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: poolId, IdentityProviderName: user.provider, UseDefaults: true }));
  await creds(ci, IdentityId, Logins);
  assert.deepEqual((await issuedCredentials(url, { identityId: IdentityId })).at(-1).PrincipalTags,
    { username: user.sub, client: user.clientId });
  await ci.send(new SetPrincipalTagAttributeMapCommand({
    IdentityPoolId: poolId, IdentityProviderName: user.provider, PrincipalTags: { who: 'cognito:username', none: 'custom:missing' },
  }));
  await creds(ci, IdentityId, Logins);
  assert.deepEqual((await issuedCredentials(url, { identityId: IdentityId })).at(-1).PrincipalTags, { who: user.username });
});
