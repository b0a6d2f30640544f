// Identity pools over @aws-sdk/client-cognito-identity: create, describe, update, delete, list,
// tags, roles and role mappings, principal-tag maps, and their refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeIdentityPoolCommand, UpdateIdentityPoolCommand, DeleteIdentityPoolCommand, ListIdentityPoolsCommand, GetIdCommand,
  TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand, SetIdentityPoolRolesCommand,
  GetIdentityPoolRolesCommand, SetPrincipalTagAttributeMapCommand, GetPrincipalTagAttributeMapCommand, DeleteIdentitiesCommand,
} from '@aws-sdk/client-cognito-identity';
import { rawCall, IDENTITY_TARGET } from './harness.mjs';
import { expectError } from './support/idp.mjs';
import { identityEmulator, createIdentityPool, IDENTITY_ID_RE } from './support/identity.mjs';

const AUTH_ROLE = 'arn:aws:iam::000000000000:role/authenticated';
const UNAUTH_ROLE = 'arn:aws:iam::000000000000:role/unauthenticated';
const USER_POOL = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123';
const arnOf = (id) => `arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${id}`;

test('CreateIdentityPool returns the pool with an id in AWS format; Describe reads it back', async (t) => {
  const { ci } = await identityEmulator(t);
  const created = await createIdentityPool(ci, {
    IdentityPoolName: 'my pool', AllowUnauthenticatedIdentities: true, AllowClassicFlow: true,
    SupportedLoginProviders: { 'accounts.google.com': 'google-app' },
    CognitoIdentityProviders: [{ ProviderName: USER_POOL, ClientId: 'client1' }],
    DeveloperProviderName: 'login.example.app',
    OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/oidc.example.com'],
    SamlProviderARNs: ['arn:aws:iam::000000000000:saml-provider/corp'],
    IdentityPoolTags: { team: 'a' },
  });
  assert.match(created.IdentityPoolId, IDENTITY_ID_RE);
  assert.equal(created.IdentityPoolName, 'my pool');
  assert.equal(created.AllowUnauthenticatedIdentities, true);
  assert.equal(created.AllowClassicFlow, true);
  assert.deepEqual(created.CognitoIdentityProviders, [{ ProviderName: USER_POOL, ClientId: 'client1', ServerSideTokenCheck: false }]);
  assert.equal(created.DeveloperProviderName, 'login.example.app');
  assert.deepEqual(created.IdentityPoolTags, { team: 'a' });
  const described = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }));
  const { $metadata: _a, ...a } = created;
  const { $metadata: _b, ...b } = described;
  assert.deepEqual(b, a);
});

test('UpdateIdentityPool replaces the configuration; the developer provider cannot change', async (t) => {
  const { ci } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci, {
    SupportedLoginProviders: { 'graph.facebook.com': '123' }, DeveloperProviderName: 'dev.one', IdentityPoolTags: { k: 'v' },
  });
  const updated = await ci.send(new UpdateIdentityPoolCommand({
    IdentityPoolId, IdentityPoolName: 'renamed', AllowUnauthenticatedIdentities: true, DeveloperProviderName: 'dev.one',
  }));
  assert.equal(updated.IdentityPoolName, 'renamed');
  assert.equal(updated.AllowUnauthenticatedIdentities, true);
  assert.deepEqual(updated.SupportedLoginProviders, {});
  assert.deepEqual(updated.IdentityPoolTags, { k: 'v' });
  await expectError(ci.send(new UpdateIdentityPoolCommand({
    IdentityPoolId, IdentityPoolName: 'renamed', AllowUnauthenticatedIdentities: true, DeveloperProviderName: 'dev.two',
  })), 'InvalidParameterException', /DeveloperProviderName/);
});

test('unknown identity pools are ResourceNotFoundException with AWS message', async (t) => {
  const { ci } = await identityEmulator(t);
  const id = 'us-east-1:00000000-0000-4000-8000-000000000000';
  const message = `IdentityPool '${id}' not found.`;
  await expectError(ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })), 'ResourceNotFoundException', message);
  await expectError(ci.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id })), 'ResourceNotFoundException', message);
  await expectError(ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id })), 'ResourceNotFoundException', message);
  await expectError(ci.send(new UpdateIdentityPoolCommand({
    IdentityPoolId: id, IdentityPoolName: 'x', AllowUnauthenticatedIdentities: false,
  })), 'ResourceNotFoundException', message);
});

test('DeleteIdentityPool removes the pool', async (t) => {
  const { ci } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci);
  await ci.send(new DeleteIdentityPoolCommand({ IdentityPoolId }));
  await expectError(ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId })), 'ResourceNotFoundException');
});

test('ListIdentityPools pages with MaxResults and NextToken', async (t) => {
  const { ci } = await identityEmulator(t);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await createIdentityPool(ci, { IdentityPoolName: `p${i}` })).IdentityPoolId);
  const seen = [];
  let NextToken;
  let pages = 0;
  do {
    const page = await ci.send(new ListIdentityPoolsCommand({ MaxResults: 2, NextToken }));
    assert.ok(page.IdentityPools.length <= 2);
    for (const p of page.IdentityPools) {
      assert.deepEqual(Object.keys(p).sort(), ['IdentityPoolId', 'IdentityPoolName']);
      seen.push(p.IdentityPoolId);
    }
    NextToken = page.NextToken;
    pages++;
  } while (NextToken);
  assert.equal(pages, 3);
  assert.deepEqual(seen.sort(), ids.sort());
  await expectError(ci.send(new ListIdentityPoolsCommand({ MaxResults: 2, NextToken: 'bogus' })), 'InvalidParameterException');
});

test('signed operations refuse unsigned calls', async (t) => {
  const { url } = await identityEmulator(t);
  const r = await rawCall(url, `${IDENTITY_TARGET}.ListIdentityPools`, '{"MaxResults":1}', { authorization: null });
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, 'MissingAuthenticationTokenException');
});

test('TagResource, UntagResource and ListTagsForResource work on the pool ARN', async (t) => {
  const { ci } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci, { IdentityPoolTags: { a: '1' } });
  const ResourceArn = arnOf(IdentityPoolId);
  await ci.send(new TagResourceCommand({ ResourceArn, Tags: { b: '2', c: '' } }));
  assert.deepEqual((await ci.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, { a: '1', b: '2', c: '' });
  await ci.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['a', 'missing'] }));
  assert.deepEqual((await ci.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, { b: '2', c: '' });
  const described = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId }));
  assert.deepEqual(described.IdentityPoolTags, { b: '2', c: '' });
  await expectError(ci.send(new ListTagsForResourceCommand({ ResourceArn: arnOf('us-east-1:00000000-0000-4000-8000-000000000000') })),
    'ResourceNotFoundException');
  await expectError(ci.send(new ListTagsForResourceCommand({ ResourceArn: 'not-an-arn-at-all-really' })), 'InvalidParameterException');
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
  await expectError(ci.send(new TagResourceCommand({ ResourceArn, Tags: many })), 'LimitExceededException');
});

test('SetIdentityPoolRoles / GetIdentityPoolRoles keep roles and role mappings', async (t) => {
  const { ci } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci, {
    CognitoIdentityProviders: [{ ProviderName: USER_POOL, ClientId: 'client1' }],
  });
  const before = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));
  assert.deepEqual(before.Roles, {});
  assert.equal(before.RoleMappings, undefined);
  const RoleMappings = {
    [`${USER_POOL}:client1`]: {
      Type: 'Rules', AmbiguousRoleResolution: 'Deny',
      RulesConfiguration: { Rules: [{ Claim: 'custom:tier', MatchType: 'Equals', Value: 'gold', RoleARN: AUTH_ROLE }] },
    },
  };
  await ci.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE }, RoleMappings,
  }));
  const after = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));
  assert.equal(after.IdentityPoolId, IdentityPoolId);
  assert.deepEqual(after.Roles, { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE });
  assert.deepEqual(after.RoleMappings, RoleMappings);
});

test('SetIdentityPoolRoles refuses bad roles and mappings', async (t) => {
  const { ci } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci, {
    CognitoIdentityProviders: [{ ProviderName: USER_POOL, ClientId: 'client1' }],
  });
  await expectError(ci.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { admin: AUTH_ROLE } })),
    'InvalidParameterException', /roles/i);
  await expectError(ci.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId, Roles: {}, RoleMappings: { 'graph.facebook.com': { Type: 'Token', AmbiguousRoleResolution: 'Deny' } },
  })), 'InvalidParameterException', /not a provider/);
  await expectError(ci.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId, Roles: {}, RoleMappings: { [USER_POOL]: { Type: 'Token' } },
  })), 'InvalidParameterException', /AmbiguousRoleResolution/);
  await expectError(ci.send(new SetIdentityPoolRolesCommand({
    IdentityPoolId, Roles: {}, RoleMappings: { [USER_POOL]: { Type: 'Rules', AmbiguousRoleResolution: 'Deny' } },
  })), 'InvalidParameterException', /RulesConfiguration/);
});

test('principal tag attribute maps: set, defaults, read back, unknown provider', async (t) => {
  const { ci } = await identityEmulator(t);
  const { IdentityPoolId } = await createIdentityPool(ci, {
    CognitoIdentityProviders: [{ ProviderName: USER_POOL, ClientId: 'client1' }],
  });
  const unset = await ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: USER_POOL }));
  assert.equal(unset.UseDefaults, false);
  assert.deepEqual(unset.PrincipalTags, {});
  const set = await ci.send(new SetPrincipalTagAttributeMapCommand({
    IdentityPoolId, IdentityProviderName: USER_POOL, PrincipalTags: { dept: 'custom:dept' },
  }));
  assert.deepEqual(set.PrincipalTags, { dept: 'custom:dept' });
  const read = await ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: USER_POOL }));
  assert.equal(read.IdentityProviderName, USER_POOL);
  assert.equal(read.UseDefaults, false);
  assert.deepEqual(read.PrincipalTags, { dept: 'custom:dept' });
  const defaults = await ci.send(new SetPrincipalTagAttributeMapCommand({
    IdentityPoolId, IdentityProviderName: USER_POOL, UseDefaults: true,
  }));
  assert.equal(defaults.UseDefaults, true);
  assert.deepEqual(defaults.PrincipalTags, { username: 'sub', client: 'aud' });
  await expectError(ci.send(new SetPrincipalTagAttributeMapCommand({
    IdentityPoolId, IdentityProviderName: 'accounts.google.com', UseDefaults: true,
  })), 'InvalidParameterException', /not a provider/);
});

test('--seed makes identity pool and identity ids repeatable', async (t) => {
  const ids = [];
  for (let run = 0; run < 2; run++) {
    const { ci } = await identityEmulator(t, { args: ['--seed', '7'] });
    const { IdentityPoolId } = await createIdentityPool(ci, { IdentityPoolName: 'seeded', AllowUnauthenticatedIdentities: true });
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId }));
    ids.push([IdentityPoolId, IdentityId]);
  }
  assert.match(ids[0][0], IDENTITY_ID_RE);
  assert.match(ids[0][1], IDENTITY_ID_RE);
  assert.deepEqual(ids[1], ids[0]);
});

test('CreateIdentityPool, UntagResource, GetPrincipalTagAttributeMap and DeleteIdentities refuse bad input', async (t) => {
  const { ci } = await identityEmulator(t);
  await expectError(createIdentityPool(ci, { IdentityPoolName: 'bad/name' }), 'InvalidParameterException',
    /^1 validation error detected: Value 'bad\/name' at 'identityPoolName' failed to satisfy constraint/);
  await expectError(createIdentityPool(ci, { OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:role/not-oidc'] }),
    'InvalidParameterException', /OpenIdConnectProviderARNs/);
  await expectError(createIdentityPool(ci, { SamlProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/x.example'] }),
    'InvalidParameterException', /SamlProviderARNs/);
  const { IdentityPoolId } = await createIdentityPool(ci);
  await expectError(ci.send(new UntagResourceCommand({
    ResourceArn: arnOf('us-east-1:00000000-0000-4000-8000-000000000000'), TagKeys: ['a'],
  })), 'ResourceNotFoundException', "IdentityPool 'us-east-1:00000000-0000-4000-8000-000000000000' not found.");
  await expectError(ci.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: USER_POOL })),
    'InvalidParameterException', /not a provider/);
  const tooMany = Array.from({ length: 61 }, (_, i) => `us-east-1:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  await expectError(ci.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: tooMany })), 'InvalidParameterException',
    /identityIdsToDelete/);
});
