// User pools and user pool clients through the AWS SDK for JavaScript v3.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand, DescribeUserPoolCommand, UpdateUserPoolCommand, DeleteUserPoolCommand,
  ListUserPoolsCommand, AddCustomAttributesCommand, TagResourceCommand, UntagResourceCommand,
  ListTagsForResourceCommand, GetUserPoolMfaConfigCommand, SetUserPoolMfaConfigCommand,
  CreateUserPoolClientCommand, DescribeUserPoolClientCommand, UpdateUserPoolClientCommand,
  DeleteUserPoolClientCommand, ListUserPoolClientsCommand, CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startEmulator, idpClient, idpRaw, catchError, ACCOUNT_ID, CREDENTIALS } from './harness.mjs';

const POOL_ID_RE = /^us-east-1_[0-9A-Za-z]{9}$/;
const CLIENT_ID_RE = /^[a-z0-9]{26}$/;
const SECRET_RE = /^[a-z0-9]{51}$/;
const DEFAULT_PASSWORD_POLICY = {
  MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true,
  RequireSymbols: true, TemporaryPasswordValidityDays: 7,
};
const STANDARD_ATTRIBUTES = [
  'sub', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username',
  'profile', 'picture', 'website', 'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo',
  'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at',
];
const DEFAULT_FLOWS = ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'];
const V = '1 validation error detected: ';

const notFoundPool = (id) => `User pool ${id} does not exist.`;
const notFoundClient = (id) => `User pool client ${id} does not exist.`;

async function expectError(promise, name, message) {
  const err = await catchError(() => promise);
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  if (message instanceof RegExp) assert.match(err.message, message);
  else if (message !== undefined) assert.equal(err.message, message);
  assert.equal(err.$metadata.httpStatusCode, 400);
  return err;
}

const attr = (pool, name) => pool.SchemaAttributes.find((a) => a.Name === name);
const secondsOf = (d) => {
  assert.ok(d instanceof Date && !Number.isNaN(d.getTime()), `expected a Date, got ${d}`);
  return d.getTime() / 1000;
};

describe('user pools', { timeout: 60_000 }, () => {
  let emu;
  let idp;
  before(async () => {
    emu = await startEmulator();
    idp = idpClient(emu.url);
  });
  after(async () => {
    idp?.destroy();
    await emu?.stop();
  });

  test('CreateUserPool / DescribeUserPool round trip with AWS defaults', async () => {
    const before = Date.now() / 1000;
    const created = await idp.send(new CreateUserPoolCommand({ PoolName: 'round-trip' }));
    const p = created.UserPool;
    assert.match(p.Id, POOL_ID_RE);
    assert.equal(p.Name, 'round-trip');
    assert.equal(p.Arn, `arn:aws:cognito-idp:us-east-1:${ACCOUNT_ID}:userpool/${p.Id}`);

    const { UserPool: d } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }));
    assert.equal(d.Id, p.Id);
    assert.equal(d.Name, 'round-trip');
    assert.equal(d.Arn, p.Arn);
    const cd = secondsOf(d.CreationDate);
    const lm = secondsOf(d.LastModifiedDate);
    assert.ok(Math.abs(cd - before) < 5, `CreationDate ${cd} should be near now ${before}`);
    assert.ok(lm >= cd);
    assert.equal(secondsOf(p.CreationDate), cd, 'CreateUserPool and DescribeUserPool agree on CreationDate');
    assert.deepEqual(d.Policies.PasswordPolicy, DEFAULT_PASSWORD_POLICY);
    assert.equal(d.DeletionProtection, 'INACTIVE');
    assert.equal(d.MfaConfiguration, 'OFF');
    assert.equal(d.EstimatedNumberOfUsers, 0);
    assert.deepEqual(d.AdminCreateUserConfig, { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
    assert.equal(d.VerificationMessageTemplate.DefaultEmailOption, 'CONFIRM_WITH_CODE');
    assert.equal(d.EmailConfiguration.EmailSendingAccount, 'COGNITO_DEFAULT');

    const names = d.SchemaAttributes.map((a) => a.Name);
    for (const n of STANDARD_ATTRIBUTES) assert.ok(names.includes(n), `SchemaAttributes lacks ${n}`);
    assert.equal(new Set(names).size, names.length, 'no duplicate schema attributes');
    const sub = attr(d, 'sub');
    assert.equal(sub.AttributeDataType, 'String');
    assert.equal(sub.Mutable, false);
    assert.equal(sub.Required, true);
    assert.equal(attr(d, 'email_verified').AttributeDataType, 'Boolean');
    assert.equal(attr(d, 'phone_number_verified').AttributeDataType, 'Boolean');
    assert.equal(attr(d, 'updated_at').AttributeDataType, 'Number');
    assert.equal(attr(d, 'email').AttributeDataType, 'String');
    assert.equal(attr(d, 'email').Required, false);
    assert.ok(!names.some((n) => n.startsWith('custom:')), 'no custom attributes by default');

    // Raw wire: dates are epoch-second numbers
    const raw = await idpRaw(emu.url, 'DescribeUserPool', { UserPoolId: p.Id });
    assert.equal(typeof raw.json.UserPool.CreationDate, 'number');
    assert.equal(typeof raw.json.UserPool.LastModifiedDate, 'number');
    assert.equal(raw.json.UserPool.CreationDate, cd);
  });

  test('region comes from the SigV4 credential scope', async () => {
    const eu = new CognitoIdentityProviderClient({
      region: 'eu-west-1', endpoint: emu.url, credentials: { ...CREDENTIALS }, maxAttempts: 1,
    });
    try {
      const { UserPool: p } = await eu.send(new CreateUserPoolCommand({ PoolName: 'eu-pool' }));
      assert.match(p.Id, /^eu-west-1_[0-9A-Za-z]{9}$/);
      assert.equal(p.Arn, `arn:aws:cognito-idp:eu-west-1:${ACCOUNT_ID}:userpool/${p.Id}`);
    } finally {
      eu.destroy();
    }
  });

  test('CreateUserPool honours given settings', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({
      PoolName: 'configured',
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireUppercase: false, RequireLowercase: true, RequireNumbers: false, RequireSymbols: false, TemporaryPasswordValidityDays: 3 } },
      DeletionProtection: 'ACTIVE',
      UserPoolTags: { team: 'qa' },
      Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '32' } }],
    }));
    const { UserPool: d } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }));
    assert.deepEqual(d.Policies.PasswordPolicy, { MinimumLength: 10, RequireUppercase: false, RequireLowercase: true, RequireNumbers: false, RequireSymbols: false, TemporaryPasswordValidityDays: 3 });
    assert.equal(d.DeletionProtection, 'ACTIVE');
    assert.deepEqual(d.UserPoolTags, { team: 'qa' });
    const tier = attr(d, 'custom:tier');
    assert.ok(tier, 'custom:tier in SchemaAttributes');
    assert.equal(tier.AttributeDataType, 'String');
    assert.equal(tier.Mutable, true);
    assert.deepEqual(tier.StringAttributeConstraints, { MinLength: '1', MaxLength: '32' });
    // deletion protection blocks DeleteUserPool
    await expectError(idp.send(new DeleteUserPoolCommand({ UserPoolId: p.Id })), 'InvalidParameterException', /deletion protection/i);
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: p.Id, DeletionProtection: 'INACTIVE' }));
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: p.Id }));
  });

  test('UpdateUserPool then DescribeUserPool', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'to-update' }));
    const newPolicy = { MinimumLength: 12, RequireUppercase: false, RequireLowercase: false, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 2 };
    const out = await idp.send(new UpdateUserPoolCommand({
      UserPoolId: p.Id,
      Policies: { PasswordPolicy: newPolicy },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTags: { env: 'test' },
      DeletionProtection: 'INACTIVE',
    }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    const { UserPool: d } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }));
    assert.equal(d.Name, 'to-update', 'UpdateUserPool keeps the name');
    assert.equal(d.Id, p.Id);
    assert.deepEqual(d.Policies.PasswordPolicy, newPolicy);
    assert.equal(d.AdminCreateUserConfig.AllowAdminCreateUserOnly, true);
    assert.deepEqual(d.UserPoolTags, { env: 'test' });
    assert.equal(d.DeletionProtection, 'INACTIVE');
    assert.equal(secondsOf(d.CreationDate), secondsOf(p.CreationDate));
    assert.ok(secondsOf(d.LastModifiedDate) >= secondsOf(p.LastModifiedDate));

    await expectError(idp.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_missing00' })),
      'ResourceNotFoundException', notFoundPool('us-east-1_missing00'));
  });

  test('ListUserPools pagination sees every pool exactly once', async () => {
    const own = await startEmulator();
    const c = idpClient(own.url);
    try {
      const ids = [];
      for (let i = 0; i < 5; i++) {
        const { UserPool } = await c.send(new CreateUserPoolCommand({ PoolName: `page-${i}` }));
        ids.push(UserPool.Id);
      }
      const seen = [];
      const sizes = [];
      let token;
      for (let guard = 0; guard < 10; guard++) {
        const out = await c.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: token }));
        sizes.push(out.UserPools.length);
        for (const p of out.UserPools) {
          seen.push(p.Id);
          assert.equal(p.Name, `page-${ids.indexOf(p.Id)}`);
          assert.ok(p.CreationDate instanceof Date);
          assert.ok(p.LastModifiedDate instanceof Date);
        }
        token = out.NextToken;
        if (!token) break;
        assert.equal(typeof token, 'string');
      }
      assert.deepEqual(sizes, [2, 2, 1]);
      assert.deepEqual([...seen].sort(), [...ids].sort());
      assert.equal(new Set(seen).size, 5);

      const all = await c.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.equal(all.UserPools.length, 5);
      assert.equal(all.NextToken, undefined);
    } finally {
      c.destroy();
      await own.stop();
    }
  });

  test('DeleteUserPool then DescribeUserPool → ResourceNotFoundException', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'doomed' }));
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: p.Id }));
    await expectError(idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id })), 'ResourceNotFoundException', notFoundPool(p.Id));
    await expectError(idp.send(new DeleteUserPoolCommand({ UserPoolId: p.Id })), 'ResourceNotFoundException', notFoundPool(p.Id));
    const list = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(!list.UserPools.some((x) => x.Id === p.Id), 'deleted pool is not listed');
  });

  test('AddCustomAttributes shows custom:x in SchemaAttributes', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'custom-attrs' }));
    await idp.send(new AddCustomAttributesCommand({
      UserPoolId: p.Id,
      CustomAttributes: [
        { Name: 'x', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '0', MaxLength: '64' } },
        { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
      ],
    }));
    const { UserPool: d } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }));
    const x = attr(d, 'custom:x');
    assert.ok(x, 'custom:x present');
    assert.equal(x.AttributeDataType, 'String');
    assert.equal(x.Mutable, true);
    assert.deepEqual(x.StringAttributeConstraints, { MinLength: '0', MaxLength: '64' });
    const level = attr(d, 'custom:level');
    assert.ok(level, 'custom:level present');
    assert.equal(level.AttributeDataType, 'Number');
    assert.deepEqual(level.NumberAttributeConstraints, { MinValue: '1', MaxValue: '10' });
    assert.ok(attr(d, 'sub'), 'standard attributes kept');
    await expectError(idp.send(new AddCustomAttributesCommand({
      UserPoolId: 'us-east-1_missing00', CustomAttributes: [{ Name: 'y', AttributeDataType: 'String' }],
    })), 'ResourceNotFoundException', notFoundPool('us-east-1_missing00'));
  });

  test('tags round trip on the pool ARN', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'tagged' }));
    const empty = await idp.send(new ListTagsForResourceCommand({ ResourceArn: p.Arn }));
    assert.deepEqual(empty.Tags ?? {}, {});
    await idp.send(new TagResourceCommand({ ResourceArn: p.Arn, Tags: { a: '1', b: '2' } }));
    assert.deepEqual((await idp.send(new ListTagsForResourceCommand({ ResourceArn: p.Arn }))).Tags, { a: '1', b: '2' });
    await idp.send(new TagResourceCommand({ ResourceArn: p.Arn, Tags: { b: 'two', c: '3' } }));
    assert.deepEqual((await idp.send(new ListTagsForResourceCommand({ ResourceArn: p.Arn }))).Tags, { a: '1', b: 'two', c: '3' });
    await idp.send(new UntagResourceCommand({ ResourceArn: p.Arn, TagKeys: ['a', 'c'] }));
    assert.deepEqual((await idp.send(new ListTagsForResourceCommand({ ResourceArn: p.Arn }))).Tags, { b: 'two' });
    const { UserPool: d } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }));
    assert.deepEqual(d.UserPoolTags, { b: 'two' });
    const missingArn = `arn:aws:cognito-idp:us-east-1:${ACCOUNT_ID}:userpool/us-east-1_missing00`;
    await expectError(idp.send(new ListTagsForResourceCommand({ ResourceArn: missingArn })), 'ResourceNotFoundException');
  });

  test('SetUserPoolMfaConfig / GetUserPoolMfaConfig echo', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'mfa' }));
    const initial = await idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: p.Id }));
    assert.equal(initial.MfaConfiguration, 'OFF');
    const set = await idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: p.Id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
    assert.equal(set.MfaConfiguration, 'OPTIONAL');
    assert.deepEqual(set.SoftwareTokenMfaConfiguration, { Enabled: true });
    const got = await idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: p.Id }));
    assert.equal(got.MfaConfiguration, 'OPTIONAL');
    assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: true });
    const { UserPool: d } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }));
    assert.equal(d.MfaConfiguration, 'OPTIONAL');
    await expectError(idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_missing00' })),
      'ResourceNotFoundException', notFoundPool('us-east-1_missing00'));
  });

  test('validation messages match AWS exactly', async () => {
    const cases = [
      [new DescribeUserPoolCommand({ UserPoolId: 'YOUR-USER-POOL-ID' }),
        `${V}Value 'YOUR-USER-POOL-ID' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+`],
      [new DescribeUserPoolCommand({}),
        `${V}Value null at 'userPoolId' failed to satisfy constraint: Member must not be null`],
      [new CreateUserPoolCommand({}),
        `${V}Value null at 'poolName' failed to satisfy constraint: Member must not be null`],
      [new CreateUserPoolCommand({ PoolName: 'enum', MfaConfiguration: 'SOMETIMES' }),
        `${V}Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]`],
      [new CreateUserPoolCommand({ PoolName: 'enum', DeletionProtection: 'MAYBE' }),
        `${V}Value 'MAYBE' at 'deletionProtection' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]`],
      [new ListUserPoolsCommand({ MaxResults: 0 }),
        `${V}Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`],
      [new ListUserPoolsCommand({ MaxResults: 61 }),
        `${V}Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60`],
      [new ListUserPoolsCommand({}),
        `${V}Value null at 'maxResults' failed to satisfy constraint: Member must not be null`],
      [new DescribeUserPoolClientCommand({ UserPoolId: 'us-east-1_abc123456' }),
        `${V}Value null at 'clientId' failed to satisfy constraint: Member must not be null`],
    ];
    for (const [cmd, message] of cases) {
      await expectError(idp.send(cmd), 'InvalidParameterException', message);
    }
  });

  test('user pool client round trip', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'clients' }));
    const { UserPoolClient: c } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.Id, ClientName: 'web' }));
    assert.match(c.ClientId, CLIENT_ID_RE);
    assert.equal(c.ClientName, 'web');
    assert.equal(c.UserPoolId, p.Id);
    assert.equal(c.ClientSecret, undefined);
    assert.equal(c.RefreshTokenValidity, 30);
    assert.equal(c.TokenValidityUnits?.RefreshToken, 'days');
    assert.deepEqual([...c.ExplicitAuthFlows].sort(), DEFAULT_FLOWS);
    assert.equal(c.EnableTokenRevocation, true);
    assert.equal(c.AuthSessionValidity, 3);
    assert.equal(c.PreventUserExistenceErrors, 'LEGACY');
    secondsOf(c.CreationDate);
    secondsOf(c.LastModifiedDate);

    const { UserPoolClient: dc } = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id, ClientId: c.ClientId }));
    assert.deepEqual(dc, c, 'DescribeUserPoolClient returns what CreateUserPoolClient returned');

    // GenerateSecret
    const { UserPoolClient: s } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.Id, ClientName: 'server', GenerateSecret: true }));
    assert.match(s.ClientId, CLIENT_ID_RE);
    assert.notEqual(s.ClientId, c.ClientId);
    assert.match(s.ClientSecret, SECRET_RE);
    const { UserPoolClient: ds } = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id, ClientId: s.ClientId }));
    assert.equal(ds.ClientSecret, s.ClientSecret);

    // Update
    const { UserPoolClient: u } = await idp.send(new UpdateUserPoolClientCommand({
      UserPoolId: p.Id, ClientId: s.ClientId, ClientName: 'server-renamed', RefreshTokenValidity: 10,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }));
    assert.equal(u.ClientId, s.ClientId);
    assert.equal(u.ClientName, 'server-renamed');
    assert.equal(u.RefreshTokenValidity, 10);
    assert.deepEqual([...u.ExplicitAuthFlows].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
    assert.equal(u.PreventUserExistenceErrors, 'ENABLED');
    assert.equal(u.ClientSecret, s.ClientSecret, 'update keeps the secret');
    const { UserPoolClient: du } = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id, ClientId: s.ClientId }));
    assert.equal(du.ClientName, 'server-renamed');
    assert.equal(du.RefreshTokenValidity, 10);
    assert.deepEqual([...du.ExplicitAuthFlows].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
    assert.equal(du.ClientSecret, s.ClientSecret);
    assert.equal(secondsOf(du.CreationDate), secondsOf(s.CreationDate));

    // List
    const list = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: p.Id, MaxResults: 60 }));
    const byId = (a, b) => (a.ClientId < b.ClientId ? -1 : 1);
    assert.deepEqual([...list.UserPoolClients].sort(byId), [
      { ClientId: c.ClientId, UserPoolId: p.Id, ClientName: 'web' },
      { ClientId: s.ClientId, UserPoolId: p.Id, ClientName: 'server-renamed' },
    ].sort(byId));
    assert.equal(list.NextToken, undefined);
    const page1 = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: p.Id, MaxResults: 1 }));
    assert.equal(page1.UserPoolClients.length, 1);
    assert.equal(typeof page1.NextToken, 'string');
    const page2 = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: p.Id, MaxResults: 1, NextToken: page1.NextToken }));
    assert.equal(page2.UserPoolClients.length, 1);
    assert.notEqual(page2.UserPoolClients[0].ClientId, page1.UserPoolClients[0].ClientId);

    // Delete
    await idp.send(new DeleteUserPoolClientCommand({ UserPoolId: p.Id, ClientId: c.ClientId }));
    await expectError(idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id, ClientId: c.ClientId })),
      'ResourceNotFoundException', notFoundClient(c.ClientId));
    await expectError(idp.send(new DeleteUserPoolClientCommand({ UserPoolId: p.Id, ClientId: c.ClientId })),
      'ResourceNotFoundException', notFoundClient(c.ClientId));
    const after = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: p.Id, MaxResults: 60 }));
    assert.deepEqual(after.UserPoolClients.map((x) => x.ClientId), [s.ClientId]);
  });

  test('client not-found errors', async () => {
    const missingPool = 'us-east-1_missing00';
    await expectError(idp.send(new CreateUserPoolClientCommand({ UserPoolId: missingPool, ClientName: 'x' })),
      'ResourceNotFoundException', notFoundPool(missingPool));
    await expectError(idp.send(new ListUserPoolClientsCommand({ UserPoolId: missingPool, MaxResults: 10 })),
      'ResourceNotFoundException', notFoundPool(missingPool));
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'client-errors' }));
    const ghost = 'abcdefghijklmnopqrstuvwxyz';
    await expectError(idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id, ClientId: ghost })),
      'ResourceNotFoundException', notFoundClient(ghost));
    await expectError(idp.send(new UpdateUserPoolClientCommand({ UserPoolId: p.Id, ClientId: ghost, ClientName: 'y' })),
      'ResourceNotFoundException', notFoundClient(ghost));
    // a client of another pool is not found in this one
    const { UserPool: other } = await idp.send(new CreateUserPoolCommand({ PoolName: 'other' }));
    const { UserPoolClient: oc } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: other.Id, ClientName: 'oc' }));
    await expectError(idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id, ClientId: oc.ClientId })),
      'ResourceNotFoundException', notFoundClient(oc.ClientId));
  });
});
