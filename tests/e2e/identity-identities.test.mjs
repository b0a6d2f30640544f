// Identities across providers: linking a second login, merging identities, conflicts, and
// UnlinkIdentity, DescribeIdentity, ListIdentities and DeleteIdentities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetIdCommand, GetCredentialsForIdentityCommand, UnlinkIdentityCommand, DescribeIdentityCommand,
  ListIdentitiesCommand, DeleteIdentitiesCommand, SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { expectError } from './support/idp.mjs';
import { identityEmulator, createIdentityPool, signedInUser } from './support/identity.mjs';

const AUTH = 'arn:aws:iam::000000000000:role/auth';

// An identity pool trusting two user pools (two providers), with a signed-in user in each.
async function twoProviders(t) {
  const env = await identityEmulator(t);
  const a = await signedInUser(env.idp);
  const b = await signedInUser(env.idp);
  const { IdentityPoolId } = await createIdentityPool(env.ci, {
    AllowUnauthenticatedIdentities: true,
    CognitoIdentityProviders: [
      { ProviderName: a.provider, ClientId: a.clientId }, { ProviderName: b.provider, ClientId: b.clientId },
    ],
  });
  await env.ci.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: AUTH, unauthenticated: AUTH } }));
  return { ...env, a, b, poolId: IdentityPoolId };
}

const getId = (ci, IdentityPoolId, Logins) => ci.send(new GetIdCommand({ IdentityPoolId, Logins }));
const describe = (ci, IdentityId) => ci.send(new DescribeIdentityCommand({ IdentityId }));

test('a second login from another provider links to the identity', async (t) => {
  const { ci, a, b, poolId } = await twoProviders(t);
  const { IdentityId } = await getId(ci, poolId, { [a.provider]: a.idToken });
  const r = await ci.send(new GetCredentialsForIdentityCommand({
    IdentityId, Logins: { [a.provider]: a.idToken, [b.provider]: b.idToken },
  }));
  assert.equal(r.IdentityId, IdentityId);
  assert.deepEqual((await describe(ci, IdentityId)).Logins.sort(), [a.provider, b.provider].sort());
  assert.equal((await getId(ci, poolId, { [b.provider]: b.idToken })).IdentityId, IdentityId, 'either login finds it');
});

test('logins of two identities merge into the older one, which GetId returns', async (t) => {
  const { ci, a, b, poolId } = await twoProviders(t);
  const first = await getId(ci, poolId, { [a.provider]: a.idToken });
  const second = await getId(ci, poolId, { [b.provider]: b.idToken });
  assert.notEqual(first.IdentityId, second.IdentityId);
  const merged = await getId(ci, poolId, { [a.provider]: a.idToken, [b.provider]: b.idToken });
  assert.equal(merged.IdentityId, first.IdentityId);
  assert.equal((await getId(ci, poolId, { [b.provider]: b.idToken })).IdentityId, first.IdentityId);
  assert.deepEqual((await describe(ci, second.IdentityId)).Logins, [], 'the merged identity keeps no logins');
  const all = await ci.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60 }));
  assert.equal(all.Identities.length, 2);
  const live = await ci.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60, HideDisabled: true }));
  assert.deepEqual(live.Identities.map((i) => i.IdentityId), [first.IdentityId]);
  await expectError(ci.send(new GetCredentialsForIdentityCommand({
    IdentityId: second.IdentityId, Logins: { [b.provider]: b.idToken },
  })), 'NotAuthorizedException', `Access to Identity '${second.IdentityId}' is forbidden.`);
});

test('a second, different login of the same provider on one identity is a ResourceConflictException', async (t) => {
  const { ci, idp, a, b, poolId } = await twoProviders(t);
  const { IdentityId } = await getId(ci, poolId, { [a.provider]: a.idToken, [b.provider]: b.idToken });
  const a2 = await signedInUser(idp, { poolId: a.poolId, clientId: a.clientId });
  await expectError(getId(ci, poolId, { [a.provider]: a2.idToken, [b.provider]: b.idToken }), 'ResourceConflictException');
  // Nothing changed.
  assert.deepEqual((await describe(ci, IdentityId)).Logins.sort(), [a.provider, b.provider].sort());
  const fresh = await getId(ci, poolId, { [a.provider]: a2.idToken });
  assert.notEqual(fresh.IdentityId, IdentityId);
});

test('UnlinkIdentity removes logins; it needs a valid login of the identity', async (t) => {
  const { ci, idp, a, b, poolId } = await twoProviders(t);
  const { IdentityId } = await getId(ci, poolId, { [a.provider]: a.idToken, [b.provider]: b.idToken });
  const stranger = await signedInUser(idp, { poolId: a.poolId, clientId: a.clientId });
  await expectError(ci.send(new UnlinkIdentityCommand({
    IdentityId, Logins: { [a.provider]: stranger.idToken }, LoginsToRemove: [b.provider],
  })), 'NotAuthorizedException', /Logins don't match/);
  await ci.send(new UnlinkIdentityCommand({ IdentityId, Logins: { [a.provider]: a.idToken }, LoginsToRemove: [b.provider] }));
  assert.deepEqual((await describe(ci, IdentityId)).Logins, [a.provider]);
  const other = await getId(ci, poolId, { [b.provider]: b.idToken });
  assert.notEqual(other.IdentityId, IdentityId, 'the unlinked login starts a new identity');
});

test('DescribeIdentity shows logins and dates; unknown identities are not found', async (t) => {
  const { ci, a, poolId } = await twoProviders(t);
  const before = Date.now() / 1000;
  const { IdentityId } = await getId(ci, poolId, { [a.provider]: a.idToken });
  const d = await describe(ci, IdentityId);
  assert.equal(d.IdentityId, IdentityId);
  assert.deepEqual(d.Logins, [a.provider]);
  assert.ok(d.CreationDate instanceof Date && d.LastModifiedDate instanceof Date);
  assert.ok(Math.abs(d.CreationDate.getTime() / 1000 - before) < 60);
  const unknown = 'us-east-1:22222222-2222-4222-8222-222222222222';
  await expectError(describe(ci, unknown), 'ResourceNotFoundException', `Identity '${unknown}' not found.`);
});

test('ListIdentities pages; DeleteIdentities removes identities and their logins', async (t) => {
  const { ci, a, poolId } = await twoProviders(t);
  const guests = [];
  for (let i = 0; i < 3; i++) guests.push((await getId(ci, poolId)).IdentityId);
  const user = (await getId(ci, poolId, { [a.provider]: a.idToken })).IdentityId;
  const seen = [];
  let NextToken;
  do {
    const page = await ci.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 3, NextToken }));
    assert.equal(page.IdentityPoolId, poolId);
    assert.ok(page.Identities.length <= 3);
    seen.push(...page.Identities.map((i) => i.IdentityId));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.deepEqual(seen.sort(), [...guests, user].sort());
  const r = await ci.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [guests[0], user] }));
  assert.deepEqual(r.UnprocessedIdentityIds, []);
  const left = await ci.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60 }));
  assert.deepEqual(left.Identities.map((i) => i.IdentityId).sort(), guests.slice(1).sort());
  const again = await getId(ci, poolId, { [a.provider]: a.idToken });
  assert.notEqual(again.IdentityId, user, 'the login was freed with its identity');
  await expectError(ci.send(new ListIdentitiesCommand({
    IdentityPoolId: 'us-east-1:33333333-3333-4333-8333-333333333333', MaxResults: 1,
  })), 'ResourceNotFoundException');
});
