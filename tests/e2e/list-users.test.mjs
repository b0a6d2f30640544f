// ListUsers through the AWS SDK for JavaScript v3: every filter form and attribute, ordering,
// AttributesToGet, Limit, pagination tokens (a user added between pages, the SDK's paginator, a
// token used with another filter or after an hour), the refusals, and the search index kept
// through fixtures and snapshots.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ListUsersCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminDeleteUserCommand,
  AdminGetUserCommand, AdminSetUserPasswordCommand, paginateListUsers,
} from '@aws-sdk/client-cognito-identity-provider';
import { emulatorFor, createPool, expectError, setClock, httpRequest, attrMap, uniq } from './support/idp.mjs';

const PARSE_ERROR = 'Error while parsing filter.';
const BAD_TOKEN = 'Paging Marker is Invalid for Request';
const MISSING_ATTRIBUTE = 'One or more requested attributes do not exist.';

const listUsers = (idp, poolId, input = {}) => idp.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));
const names = async (idp, poolId, Filter, input = {}) =>
  (await listUsers(idp, poolId, { Filter, ...input })).Users.map((u) => u.Username);

async function createUser(idp, poolId, username, attrs = {}) {
  await idp.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
  }));
}

async function control(url, method, path, body) {
  const r = await httpRequest(url, {
    method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}),
  });
  assert.equal(r.status, 200, `${method} ${path} → ${r.status} ${r.text}`);
  return r.json;
}

/** Four users covering every searchable attribute; bob disabled, carol confirmed. */
async function peoplePool(idp) {
  const { Id: poolId } = await createPool(idp);
  await createUser(idp, poolId, 'carol', {
    email: 'carol@b.example', given_name: 'Carol', family_name: 'O"Neil', name: 'Carol O',
    phone_number: '+15550000003', preferred_username: 'cc',
  });
  await createUser(idp, poolId, 'alice', {
    email: 'alice@a.example', given_name: 'Alice', family_name: 'Smith', phone_number: '+15550000001',
  });
  await createUser(idp, poolId, 'bob', {
    email: 'Bob@A.example', given_name: 'Bob', family_name: 'Smith', phone_number: '+4470000002',
    preferred_username: 'bb',
  });
  await createUser(idp, poolId, 'dave');
  await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'bob' }));
  await idp.send(new AdminSetUserPasswordCommand({
    UserPoolId: poolId, Username: 'carol', Password: 'Passw0rd!', Permanent: true,
  }));
  return poolId;
}

describe('ListUsers', { timeout: 60_000 }, () => {
  test('every filter form, attribute by attribute, sorted by the filtered value', async (t) => {
    const { idp } = await emulatorFor(t);
    const poolId = await peoplePool(idp);
    const cases = [
      [undefined, ['alice', 'bob', 'carol', 'dave']],
      ['', ['alice', 'bob', 'carol', 'dave']],
      ['username = "bob"', ['bob']],
      ['username="bob"', ['bob']],
      ['username   =   "bob"  ', ['bob']],
      ['username = "Bob"', []],
      ['username ^= "ca"', ['carol']],
      ['username^="ca"', ['carol']],
      ['email = "alice@a.example"', ['alice']],
      ['email = "BOB@a.example"', ['bob']],
      ['email ^= ""', ['alice', 'bob', 'carol']],
      ['email ^= "b"', ['bob']],
      ['phone_number = "+15550000003"', ['carol']],
      ['phone_number ^= "+"', ['alice', 'carol', 'bob']],
      ['name = "Carol O"', ['carol']],
      ['name ^= "Car"', ['carol']],
      ['given_name = "Alice"', ['alice']],
      ['given_name ^= ""', ['alice', 'bob', 'carol']],
      ['family_name = "Smith"', ['alice', 'bob']],
      ['family_name = "O\\"Neil"', ['carol']],
      ['family_name ^= "O\\""', ['carol']],
      ['preferred_username ^= ""', ['bob', 'carol']],
      ['preferred_username = "bb"', ['bob']],
      ['cognito:user_status = "CONFIRMED"', ['carol']],
      ['cognito:user_status = "force_change_password"', ['alice', 'bob', 'dave']],
      ['cognito:user_status ^= "CONF"', ['carol']],
      ['status = "Enabled"', ['alice', 'carol', 'dave']],
      ['status = "Disabled"', ['bob']],
      ['status = "disabled"', []],
      ['status ^= "Dis"', ['bob']],
    ];
    for (const [filter, expected] of cases) {
      assert.deepEqual(await names(idp, poolId, filter), expected, `Filter ${JSON.stringify(filter)}`);
    }
    const { UserAttributes } = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    const sub = attrMap(UserAttributes).sub;
    assert.deepEqual(await names(idp, poolId, `sub = "${sub}"`), ['dave']);
    assert.deepEqual(await names(idp, poolId, `sub ^= "${sub.slice(0, 13)}"`), ['dave']);

    // Every member of UserType is there.
    const { Users: [alice] } = await listUsers(idp, poolId, { Filter: 'username = "alice"' });
    assert.equal(alice.Enabled, true);
    assert.equal(alice.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.ok(alice.UserCreateDate instanceof Date && alice.UserLastModifiedDate instanceof Date);
    assert.equal(alice.Attributes[0].Name, 'sub');
    assert.deepEqual(attrMap(alice.Attributes).email, 'alice@a.example');
  });

  test('a case-insensitive pool matches usernames without letter case', async (t) => {
    const { idp } = await emulatorFor(t);
    const { Id: poolId } = await createPool(idp, { UsernameConfiguration: { CaseSensitive: false } });
    await createUser(idp, poolId, 'Alice');
    await createUser(idp, poolId, 'bob');
    assert.deepEqual(await names(idp, poolId, 'username = "alice"'), ['Alice']);
    assert.deepEqual(await names(idp, poolId, 'username ^= "AL"'), ['Alice']);
  });

  test('refusals: filter syntax, unknown pool, Limit over 60', async (t) => {
    const { idp } = await emulatorFor(t);
    const poolId = await peoplePool(idp);
    for (const Filter of [
      'custom:tier = "gold"', 'locale = "en"', 'Email = "a"', 'email = alice@a.example', 'email = "alice',
      'email != "a"', 'email == "a"', 'email = "a" and name = "b"', 'email = "a" name = "b"', 'email',
      '= "a"',
    ]) {
      await expectError(listUsers(idp, poolId, { Filter }), 'InvalidParameterException', PARSE_ERROR);
    }
    await expectError(listUsers(idp, 'us-east-1_Nope12345'), 'ResourceNotFoundException',
      'User pool us-east-1_Nope12345 does not exist.');
    await expectError(listUsers(idp, poolId, { Limit: 61 }), 'InvalidParameterException',
      /^1 validation error detected: Value '61' at 'limit' failed to satisfy constraint/);
    await expectError(listUsers(idp, poolId, { Filter: `name = "${'x'.repeat(260)}"` }), 'InvalidParameterException',
      /at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256/);
  });

  test('AttributesToGet', async (t) => {
    const { idp } = await emulatorFor(t);
    const poolId = await peoplePool(idp);
    const { Users } = await listUsers(idp, poolId, { Filter: 'email ^= ""', AttributesToGet: ['email', 'given_name'] });
    assert.deepEqual(Users.map((u) => u.Attributes), [
      [{ Name: 'email', Value: 'alice@a.example' }, { Name: 'given_name', Value: 'Alice' }],
      [{ Name: 'email', Value: 'Bob@A.example' }, { Name: 'given_name', Value: 'Bob' }],
      [{ Name: 'email', Value: 'carol@b.example' }, { Name: 'given_name', Value: 'Carol' }],
    ]);
    const none = await listUsers(idp, poolId, { AttributesToGet: [] });
    assert.equal(none.Users.length, 4);
    for (const u of none.Users) assert.equal(u.Attributes, undefined);
    // dave has no email: the model documents an error when a listed user lacks the attribute.
    await expectError(listUsers(idp, poolId, { AttributesToGet: ['email'] }), 'InvalidParameterException',
      MISSING_ATTRIBUTE);
    await expectError(listUsers(idp, poolId, { AttributesToGet: ['custom:nope'] }), 'InvalidParameterException',
      MISSING_ATTRIBUTE);
    await expectError(listUsers(idp, poolId, { AttributesToGet: ['email', 'sub'] }), 'InvalidParameterException',
      'Input fails to satisfy the constraints.');
  });

  test('Limit and pagination: positions hold while users are added; the SDK paginator', async (t) => {
    const { idp } = await emulatorFor(t);
    const { Id: poolId } = await createPool(idp);
    for (const n of ['b', 'd', 'f', 'h', 'j']) await createUser(idp, poolId, n, { email: `${n}@x.example` });

    const first = await listUsers(idp, poolId, { Limit: 2 });
    assert.deepEqual(first.Users.map((u) => u.Username), ['b', 'd']);
    assert.equal(typeof first.PaginationToken, 'string');
    await createUser(idp, poolId, 'a', { email: 'a@x.example' });  // before the position: not listed
    await createUser(idp, poolId, 'e', { email: 'e@x.example' });  // after it: listed
    const second = await listUsers(idp, poolId, { Limit: 2, PaginationToken: first.PaginationToken });
    assert.deepEqual(second.Users.map((u) => u.Username), ['e', 'f']);
    const third = await listUsers(idp, poolId, { PaginationToken: second.PaginationToken });
    assert.deepEqual(third.Users.map((u) => u.Username), ['h', 'j']);
    assert.equal(third.PaginationToken, undefined);

    const filtered = [];
    for await (const page of paginateListUsers({ client: idp, pageSize: 3 }, { UserPoolId: poolId, Filter: 'email ^= ""' })) {
      assert.ok(page.Users.length <= 3);
      filtered.push(...page.Users.map((u) => u.Username));
    }
    assert.deepEqual(filtered, ['a', 'b', 'd', 'e', 'f', 'h', 'j']);
    const exact = await listUsers(idp, poolId, { Filter: 'email ^= ""', Limit: 7 });
    assert.equal(exact.Users.length, 7);
    assert.equal(exact.PaginationToken, undefined);  // nothing after a full last page
  });

  test('a token belongs to its filter and expires after an hour', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const poolId = await peoplePool(idp);
    const { PaginationToken } = await listUsers(idp, poolId, { Filter: 'email ^= ""', Limit: 1 });
    assert.ok(PaginationToken);
    // The same filter spelled differently, and another Limit or AttributesToGet: accepted.
    assert.deepEqual(await names(idp, poolId, 'email^=""', { PaginationToken, Limit: 1 }), ['bob']);
    assert.deepEqual(await names(idp, poolId, 'email ^= ""', { PaginationToken, AttributesToGet: ['email'] }),
      ['bob', 'carol']);
    for (const Filter of ['email ^= "b"', 'name ^= ""', undefined]) {
      await expectError(listUsers(idp, poolId, { Filter, PaginationToken }), 'InvalidParameterException', BAD_TOKEN);
    }
    await expectError(listUsers(idp, poolId, { PaginationToken: 'not-a-token' }), 'InvalidParameterException', BAD_TOKEN);
    await setClock(url, { advance: 3601 });
    await expectError(listUsers(idp, poolId, { Filter: 'email ^= ""', PaginationToken }), 'InvalidParameterException',
      BAD_TOKEN);
  });

  test('the search index is kept by fixtures, snapshots and deletion', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const poolId = 'us-east-1_ListFix01';
    await control(url, 'POST', '/_emulator/fixtures', {
      UserPools: [{
        Id: poolId, PoolName: uniq('fixture'),
        Users: [
          { Username: 'fx1', Password: 'Passw0rd!', Attributes: { email: 'one@fixture.example', given_name: 'One' } },
          { Username: 'fx2', Attributes: { email: 'two@fixture.example' }, Enabled: false },
        ],
      }],
    });
    assert.deepEqual(await names(idp, poolId, 'email ^= "t"'), ['fx2']);
    assert.deepEqual(await names(idp, poolId, 'cognito:user_status = "CONFIRMED"'), ['fx1']);
    assert.deepEqual(await names(idp, poolId, 'status = "Disabled"'), ['fx2']);

    await control(url, 'POST', '/_emulator/snapshots/listusers');
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'fx1' }));
    assert.deepEqual(await names(idp, poolId, 'given_name = "One"'), []);
    await control(url, 'POST', '/_emulator/snapshots/listusers/restore');
    assert.deepEqual(await names(idp, poolId, 'given_name = "One"'), ['fx1']);
    await control(url, 'POST', '/_emulator/reset');
    await expectError(listUsers(idp, poolId), 'ResourceNotFoundException', `User pool ${poolId} does not exist.`);
  });
});
