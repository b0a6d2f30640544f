// Groups through the AWS SDK for JavaScript v3: every group operation, pagination, the errors,
// the group claims of both tokens (the preferred_role tie rule included) and membership cleanup
// when a group, a user or a pool is deleted.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateGroupCommand, GetGroupCommand, UpdateGroupCommand, DeleteGroupCommand, ListGroupsCommand,
  AdminAddUserToGroupCommand, AdminRemoveUserFromGroupCommand, AdminListGroupsForUserCommand,
  ListUsersInGroupCommand, AdminDeleteUserCommand, DeleteUserCommand, DeleteUserPoolCommand,
  AdminGetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, passwordAuth, expectError, decodeJwt, attrMap,
  PASSWORD,
} from './support/idp.mjs';

const GROUP_NOT_FOUND = 'Group not found.';
const ROLE_A = 'arn:aws:iam::123456789012:role/a';
const ROLE_B = 'arn:aws:iam::123456789012:role/b';

const createGroup = (idp, poolId, name, extra = {}) =>
  idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: name, ...extra })).then((r) => r.Group);
const addToGroup = (idp, poolId, username, group) =>
  idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }));
const groupsOf = (idp, poolId, username) =>
  idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }))
    .then((r) => r.Groups.map((g) => g.GroupName));
const usersIn = (idp, poolId, group) =>
  idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group }))
    .then((r) => r.Users.map((u) => u.Username));

async function tokens(idp, clientId, username) {
  const { AuthenticationResult: r } = await passwordAuth(idp, clientId, username, PASSWORD);
  return { id: decodeJwt(r.IdToken).payload, access: decodeJwt(r.AccessToken).payload };
}

async function listAll(send, key) {
  const names = [];
  let NextToken;
  let pages = 0;
  do {
    const page = await send(NextToken);
    pages++;
    names.push(...page[key]);
    NextToken = page.NextToken;
  } while (NextToken);
  return { items: names, pages };
}

describe('groups', { timeout: 60_000 }, () => {
  test('CreateGroup, GetGroup, UpdateGroup, DeleteGroup and their errors', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await createPoolAndClient(idp);
    const g = await createGroup(idp, poolId, 'admins', { Description: 'Admins', RoleArn: ROLE_A, Precedence: 3 });
    assert.equal(g.GroupName, 'admins');
    assert.equal(g.UserPoolId, poolId);
    assert.equal(g.Description, 'Admins');
    assert.equal(g.RoleArn, ROLE_A);
    assert.equal(g.Precedence, 3);
    assert.ok(g.CreationDate instanceof Date && g.LastModifiedDate instanceof Date);
    assert.ok(Math.abs(g.CreationDate.getTime() - Date.now()) < 60_000);

    await expectError(createGroup(idp, poolId, 'admins'), 'GroupExistsException',
      'A group with the name admins already exists.');
    await expectError(createGroup(idp, 'us-east-1_nothere1', 'x'), 'ResourceNotFoundException',
      'User pool us-east-1_nothere1 does not exist.');
    await expectError(createGroup(idp, poolId, 'bad', { Precedence: -1 }), 'InvalidParameterException',
      /^1 validation error detected: /);

    const got = (await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group;
    assert.deepEqual(got, g);

    const updated = (await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 9 }))).Group;
    assert.equal(updated.Precedence, 9);
    assert.equal(updated.Description, 'Admins');
    assert.equal(updated.RoleArn, ROLE_A);

    await idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
    for (const Command of [GetGroupCommand, UpdateGroupCommand, DeleteGroupCommand, ListUsersInGroupCommand]) {
      await expectError(idp.send(new Command({ UserPoolId: poolId, GroupName: 'admins' })),
        'ResourceNotFoundException', GROUP_NOT_FOUND);
    }
  });

  test('ListGroups, AdminListGroupsForUser and ListUsersInGroup page in order', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await createPoolAndClient(idp);
    const names = ['g3', 'g1', 'g5', 'g2', 'g4'];
    for (const n of names) await createGroup(idp, poolId, n);
    const users = ['u2', 'u1', 'u3'];
    for (const u of users) {
      await createConfirmedUser(idp, poolId, u);
      for (const n of names) await addToGroup(idp, poolId, u, n);
    }

    const groups = await listAll((NextToken) =>
      idp.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken })), 'Groups');
    assert.deepEqual(groups.items.map((g) => g.GroupName), ['g1', 'g2', 'g3', 'g4', 'g5']);
    assert.equal(groups.pages, 3);
    const all = await idp.send(new ListGroupsCommand({ UserPoolId: poolId }));
    assert.equal(all.Groups.length, 5);
    assert.equal(all.NextToken, undefined);

    const mine = await listAll((NextToken) =>
      idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'u1', Limit: 3, NextToken })), 'Groups');
    assert.deepEqual(mine.items.map((g) => g.GroupName), ['g1', 'g2', 'g3', 'g4', 'g5']);
    assert.equal(mine.pages, 2);

    const members = await listAll((NextToken) =>
      idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'g2', Limit: 1, NextToken })), 'Users');
    assert.deepEqual(members.items.map((u) => u.Username), ['u1', 'u2', 'u3']);
    assert.equal(members.items[0].UserStatus, 'CONFIRMED');
    assert.equal(members.items[0].Enabled, true);
    assert.ok(attrMap(members.items[0].Attributes).sub);

    await expectError(idp.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: 'not-a-token' })),
      'InvalidParameterException');
  });

  test('AdminAddUserToGroup and AdminRemoveUserFromGroup by username or sub, and their errors', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await createPoolAndClient(idp);
    await createGroup(idp, poolId, 'a');
    await createGroup(idp, poolId, 'b');
    const user = await createConfirmedUser(idp, poolId, 'alice');
    const sub = attrMap(user.Attributes).sub;
    await addToGroup(idp, poolId, 'alice', 'a');
    await addToGroup(idp, poolId, 'alice', 'a'); // idempotent
    await addToGroup(idp, poolId, sub, 'b');
    assert.deepEqual(await groupsOf(idp, poolId, 'alice'), ['a', 'b']);
    assert.deepEqual(await usersIn(idp, poolId, 'a'), ['alice']);

    await expectError(addToGroup(idp, poolId, 'alice', 'zzz'), 'ResourceNotFoundException', GROUP_NOT_FOUND);
    await expectError(addToGroup(idp, poolId, 'nobody', 'a'), 'UserNotFoundException', 'User does not exist.');
    await expectError(groupsOf(idp, poolId, 'nobody'), 'UserNotFoundException', 'User does not exist.');

    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'a' }));
    assert.deepEqual(await groupsOf(idp, poolId, 'alice'), ['b']);
    assert.deepEqual(await usersIn(idp, poolId, 'a'), []);
  });

  test('tokens: cognito:groups in both, cognito:roles and cognito:preferred_role in the ID token', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'alice');

    let { id, access } = await tokens(idp, clientId, 'alice');
    assert.equal(id['cognito:groups'], undefined);
    assert.equal(access['cognito:groups'], undefined);

    await createGroup(idp, poolId, 'zeta', { RoleArn: ROLE_B });          // no precedence: last
    await createGroup(idp, poolId, 'beta', { Precedence: 2, RoleArn: ROLE_B });
    await createGroup(idp, poolId, 'alpha', { Precedence: 0 });            // no role
    await createGroup(idp, poolId, 'gamma', { Precedence: 1, RoleArn: ROLE_A });
    for (const g of ['zeta', 'beta', 'alpha', 'gamma']) await addToGroup(idp, poolId, 'alice', g);
    ({ id, access } = await tokens(idp, clientId, 'alice'));
    assert.deepEqual(id['cognito:groups'], ['alpha', 'gamma', 'beta', 'zeta']);
    assert.deepEqual(access['cognito:groups'], ['alpha', 'gamma', 'beta', 'zeta']);
    assert.deepEqual(id['cognito:roles'], [ROLE_A, ROLE_B, ROLE_B]);
    assert.equal(id['cognito:preferred_role'], ROLE_A);
    assert.equal(access['cognito:roles'], undefined);
    assert.equal(access['cognito:preferred_role'], undefined);

    // A tie on the lowest precedence between different roles: no preferred role.
    await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'beta', Precedence: 1 }));
    ({ id } = await tokens(idp, clientId, 'alice'));
    assert.deepEqual(id['cognito:groups'], ['alpha', 'beta', 'gamma', 'zeta']);
    assert.deepEqual(id['cognito:roles'], [ROLE_B, ROLE_A, ROLE_B]);
    assert.equal(id['cognito:preferred_role'], undefined);

    // The same role on both tied groups: that role.
    await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'beta', RoleArn: ROLE_A }));
    ({ id } = await tokens(idp, clientId, 'alice'));
    assert.equal(id['cognito:preferred_role'], ROLE_A);

    // Leaving the groups takes the claims away.
    for (const g of ['zeta', 'beta', 'alpha', 'gamma']) {
      await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: g }));
    }
    ({ id, access } = await tokens(idp, clientId, 'alice'));
    assert.equal(id['cognito:groups'], undefined);
    assert.equal(id['cognito:roles'], undefined);
    assert.equal(access['cognito:groups'], undefined);
  });

  test('deleting a group, a user (admin or self) or the pool removes the memberships', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createGroup(idp, poolId, 'a');
    await createGroup(idp, poolId, 'b');
    for (const u of ['alice', 'bob', 'carol']) {
      await createConfirmedUser(idp, poolId, u);
      await addToGroup(idp, poolId, u, 'a');
      await addToGroup(idp, poolId, u, 'b');
    }
    await idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'a' }));
    assert.deepEqual(await groupsOf(idp, poolId, 'alice'), ['b']);
    await createGroup(idp, poolId, 'a');
    assert.deepEqual(await usersIn(idp, poolId, 'a'), []);

    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'alice' }));
    assert.deepEqual(await usersIn(idp, poolId, 'b'), ['bob', 'carol']);
    const { AuthenticationResult } = await passwordAuth(idp, clientId, 'bob', PASSWORD);
    await idp.send(new DeleteUserCommand({ AccessToken: AuthenticationResult.AccessToken }));
    assert.deepEqual(await usersIn(idp, poolId, 'b'), ['carol']);

    await createConfirmedUser(idp, poolId, 'alice'); // the same name again starts with no groups
    assert.deepEqual(await groupsOf(idp, poolId, 'alice'), []);
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bob' })),
      'UserNotFoundException', 'User does not exist.');

    await idp.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await expectError(idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'b' })),
      'ResourceNotFoundException', `User pool ${poolId} does not exist.`);
  });
});
