// Users through the AWS SDK for JavaScript v3: sign-up and confirmation with codes read from the
// emulator's outbox, admin user management, self-service by access token, username models and
// the password policy.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  SignUpCommand, ConfirmSignUpCommand, ResendConfirmationCodeCommand, AdminConfirmSignUpCommand,
  AdminCreateUserCommand, AdminGetUserCommand, AdminDeleteUserCommand, AdminSetUserPasswordCommand,
  AdminDisableUserCommand, AdminEnableUserCommand, GetUserCommand, DeleteUserCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, passwordAuth, expectError, readMessages,
  lastMessage, clearMessages, setClock, decodeJwt, attrMap, PASSWORD, OTHER_PASSWORD, UUID_V4_RE,
} from './support/idp.mjs';

const CODE_MISMATCH = 'Invalid verification code provided, please try again.';
const CODE_EXPIRED = 'Invalid code provided, please request a code again.';
const INCORRECT = 'Incorrect username or password.';
const SELF_POLICY = 'Password did not conform with policy: ';
const ADMIN_POLICY = 'Password did not conform with password policy: ';
const EMAIL_DELIVERY = { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' };

const email = (v) => ({ Name: 'email', Value: v });
const wrongCode = (code) => (code === '000000' ? '111111' : '000000');

function signUp(idp, clientId, username, password = PASSWORD, attrs = []) {
  return idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: attrs }));
}

function getUser(idp, poolId, username) {
  return idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
}

async function estimated(idp, poolId) {
  const { UserPool } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  return UserPool.EstimatedNumberOfUsers;
}

describe('sign-up and confirmation', { timeout: 60_000 }, () => {
  test('SignUp sends a code by email; ConfirmSignUp with it confirms and verifies the email', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AutoVerifiedAttributes: ['email'] });
    const su = await signUp(idp, clientId, 'alice', PASSWORD, [email('alice@example.com')]);
    assert.equal(su.UserConfirmed, false);
    assert.match(su.UserSub, UUID_V4_RE);
    assert.deepEqual(su.CodeDeliveryDetails, EMAIL_DELIVERY);

    const msgs = await readMessages(url, poolId, 'alice');
    assert.equal(msgs.length, 1);
    const m = msgs[0];
    assert.equal(m.userPoolId, poolId);
    assert.equal(m.username, 'alice');
    assert.equal(m.destination, 'alice@example.com');
    assert.equal(m.deliveryMedium, 'EMAIL');
    assert.match(m.code, /^\d{6}$/);
    assert.equal(m.temporaryPassword, null);
    assert.equal(typeof m.id, 'string');
    assert.ok(Math.abs(m.sentAt - Date.now() / 1000) < 30, `sentAt ${m.sentAt} is now`);

    const before = await getUser(idp, poolId, 'alice');
    assert.equal(before.UserStatus, 'UNCONFIRMED');
    assert.equal(attrMap(before.UserAttributes).sub, su.UserSub);
    assert.equal(attrMap(before.UserAttributes).email_verified, undefined);
    await expectError(passwordAuth(idp, clientId, 'alice', PASSWORD), 'UserNotConfirmedException', 'User is not confirmed.');

    await expectError(idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: wrongCode(m.code) })),
      'CodeMismatchException', CODE_MISMATCH);
    const ok = await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: m.code }));
    assert.equal(ok.$metadata.httpStatusCode, 200);
    const after = await getUser(idp, poolId, 'alice');
    assert.equal(after.UserStatus, 'CONFIRMED');
    assert.equal(attrMap(after.UserAttributes).email_verified, 'true');
    await expectError(idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: m.code })),
      'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
    const r = await passwordAuth(idp, clientId, 'alice', PASSWORD);
    assert.equal(decodeJwt(r.AuthenticationResult.AccessToken).payload.sub, su.UserSub);
  });

  test('SignUp without auto-verified attributes has no CodeDeliveryDetails; duplicate username', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    const su = await signUp(idp, clientId, 'bruno', PASSWORD, [email('bruno@example.com')]);
    assert.equal(su.UserConfirmed, false);
    assert.match(su.UserSub, UUID_V4_RE);
    assert.equal(su.CodeDeliveryDetails, undefined);
    await expectError(signUp(idp, clientId, 'bruno'), 'UsernameExistsException', 'User already exists');
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'bruno' }));
    assert.equal((await getUser(idp, poolId, 'bruno')).UserStatus, 'CONFIRMED');
    assert.ok((await passwordAuth(idp, clientId, 'bruno', PASSWORD)).AuthenticationResult.AccessToken);
  });

  test('ResendConfirmationCode puts a new code in the outbox', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AutoVerifiedAttributes: ['email'] });
    await signUp(idp, clientId, 'anna', PASSWORD, [email('anna@example.org')]);
    const first = await lastMessage(url, poolId, 'anna');
    const res = await idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'anna' }));
    assert.deepEqual(res.CodeDeliveryDetails, EMAIL_DELIVERY);
    const msgs = await readMessages(url, poolId, 'anna');
    assert.equal(msgs.length, 2);
    const second = msgs[1];
    assert.notEqual(second.id, first.id);
    assert.match(second.code, /^\d{6}$/);
    assert.equal(second.destination, 'anna@example.org');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'anna', ConfirmationCode: second.code }));
    assert.equal((await getUser(idp, poolId, 'anna')).UserStatus, 'CONFIRMED');
    // DELETE /_emulator/messages empties the outbox
    await clearMessages(url);
    assert.deepEqual(await readMessages(url, poolId, 'anna'), []);
    assert.deepEqual(await readMessages(url), []);
  });

  test('a confirmation code expires after 24 hours on the emulator clock', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AutoVerifiedAttributes: ['email'] });
    await setClock(url, { freeze: true });
    await signUp(idp, clientId, 'abel', PASSWORD, [email('abel@example.com')]);
    await signUp(idp, clientId, 'axel', PASSWORD, [email('axel@example.com')]);
    const abel = await lastMessage(url, poolId, 'abel');
    const axel = await lastMessage(url, poolId, 'axel');
    await setClock(url, { advance: 24 * 3600 - 10 });
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'axel', ConfirmationCode: axel.code }));
    await setClock(url, { advance: 11 });
    await expectError(idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'abel', ConfirmationCode: abel.code })),
      'ExpiredCodeException', CODE_EXPIRED);
    assert.equal((await getUser(idp, poolId, 'abel')).UserStatus, 'UNCONFIRMED');
    await idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'abel' }));
    const fresh = await lastMessage(url, poolId, 'abel');
    assert.notEqual(fresh.id, abel.id);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'abel', ConfirmationCode: fresh.code }));
    assert.equal((await getUser(idp, poolId, 'abel')).UserStatus, 'CONFIRMED');
  });
});

describe('admin user management', { timeout: 60_000 }, () => {
  test('AdminCreateUser with an emailed invitation, then sign-in with the temporary password', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    const { User } = await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'carl', TemporaryPassword: 'Temp0rary!',
      UserAttributes: [email('carl@example.com')], DesiredDeliveryMediums: ['EMAIL'],
    }));
    assert.equal(User.Username, 'carl');
    assert.equal(User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(User.Enabled, true);
    assert.match(attrMap(User.Attributes).sub, UUID_V4_RE);
    assert.equal(attrMap(User.Attributes).email, 'carl@example.com');
    assert.ok(User.UserCreateDate instanceof Date);
    const m = await lastMessage(url, poolId, 'carl');
    assert.equal(m.temporaryPassword, 'Temp0rary!');
    assert.equal(m.destination, 'carl@example.com');
    assert.equal(m.deliveryMedium, 'EMAIL');
    assert.equal(m.username, 'carl');
    const ch = await passwordAuth(idp, clientId, 'carl', 'Temp0rary!');
    assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');

    await expectError(idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carl', MessageAction: 'SUPPRESS' })),
      'UsernameExistsException', 'User account already exists');

    // RESEND: a new invitation for the existing user
    const before = (await readMessages(url, poolId, 'carl')).length;
    const re = await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'carl', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'],
    }));
    assert.equal(re.User.Username, 'carl');
    assert.equal(re.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const after = await readMessages(url, poolId, 'carl');
    assert.equal(after.length, before + 1);
    const resent = after[after.length - 1];
    assert.equal(typeof resent.temporaryPassword, 'string');
    const ch2 = await passwordAuth(idp, clientId, 'carl', resent.temporaryPassword);
    assert.equal(ch2.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  });

  test('AdminCreateUser generates a temporary password that conforms to the policy; SUPPRESS sends nothing', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'dina', UserAttributes: [email('dina@example.com')], DesiredDeliveryMediums: ['EMAIL'],
    }));
    const { temporaryPassword: tmp } = await lastMessage(url, poolId, 'dina');
    assert.equal(typeof tmp, 'string');
    assert.ok(tmp.length >= 8, `generated password ${tmp} is long enough`);
    assert.match(tmp, /[A-Z]/);
    assert.match(tmp, /[a-z]/);
    assert.match(tmp, /[0-9]/);
    assert.match(tmp, /[^A-Za-z0-9]/);
    assert.equal((await passwordAuth(idp, clientId, 'dina', tmp)).ChallengeName, 'NEW_PASSWORD_REQUIRED');

    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'eve', UserAttributes: [email('eve@example.com')], MessageAction: 'SUPPRESS',
    }));
    assert.deepEqual(await readMessages(url, poolId, 'eve'), []);
    assert.equal((await getUser(idp, poolId, 'eve')).UserStatus, 'FORCE_CHANGE_PASSWORD');
  });

  test('AdminGetUser, AdminSetUserPassword (permanent or not), AdminDisableUser/AdminEnableUser, AdminDeleteUser', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'fred', TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS',
      UserAttributes: [email('fred@example.com'), { Name: 'name', Value: 'Fred' }],
    }));
    const g = await getUser(idp, poolId, 'fred');
    assert.equal(g.Username, 'fred');
    assert.equal(g.Enabled, true);
    assert.equal(g.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const attrs = attrMap(g.UserAttributes);
    assert.match(attrs.sub, UUID_V4_RE);
    assert.equal(attrs.email, 'fred@example.com');
    assert.equal(attrs.name, 'Fred');
    assert.ok(g.UserCreateDate instanceof Date && g.UserLastModifiedDate instanceof Date);

    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'fred', Password: PASSWORD, Permanent: true }));
    assert.equal((await getUser(idp, poolId, 'fred')).UserStatus, 'CONFIRMED');
    assert.ok((await passwordAuth(idp, clientId, 'fred', PASSWORD)).AuthenticationResult.AccessToken);
    await expectError(passwordAuth(idp, clientId, 'fred', 'Temp0rary!'), 'NotAuthorizedException', INCORRECT);

    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'fred', Password: OTHER_PASSWORD, Permanent: false }));
    assert.equal((await getUser(idp, poolId, 'fred')).UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal((await passwordAuth(idp, clientId, 'fred', OTHER_PASSWORD)).ChallengeName, 'NEW_PASSWORD_REQUIRED');

    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'fred' }));
    assert.equal((await getUser(idp, poolId, 'fred')).Enabled, false);
    await idp.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'fred' }));
    assert.equal((await getUser(idp, poolId, 'fred')).Enabled, true);

    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'fred' }));
    await expectError(getUser(idp, poolId, 'fred'), 'UserNotFoundException', 'User does not exist.');
    await expectError(idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'fred' })),
      'UserNotFoundException', 'User does not exist.');
    await expectError(passwordAuth(idp, clientId, 'fred', OTHER_PASSWORD), 'UserNotFoundException', 'User does not exist.');
  });

  test('DescribeUserPool.EstimatedNumberOfUsers counts users', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    const { poolId: otherPool } = await createPoolAndClient(idp);
    assert.equal(await estimated(idp, poolId), 0);
    await createConfirmedUser(idp, poolId, 'u1');
    await signUp(idp, clientId, 'u2');
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'u3', MessageAction: 'SUPPRESS' }));
    await createConfirmedUser(idp, otherPool, 'elsewhere');
    assert.equal(await estimated(idp, poolId), 3);
    assert.equal(await estimated(idp, otherPool), 1);
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'u2' }));
    assert.equal(await estimated(idp, poolId), 2);
  });
});

describe('self-service by access token', { timeout: 60_000 }, () => {
  test('GetUser and DeleteUser with an access token', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    const created = await createConfirmedUser(idp, poolId, 'gail', PASSWORD, [email('gail@example.com')]);
    const { AuthenticationResult: r } = await passwordAuth(idp, clientId, 'gail', PASSWORD);
    const me = await idp.send(new GetUserCommand({ AccessToken: r.AccessToken }));
    assert.equal(me.Username, 'gail');
    assert.deepEqual(attrMap(me.UserAttributes), { sub: attrMap(created.Attributes).sub, email: 'gail@example.com' });
    await expectError(idp.send(new GetUserCommand({ AccessToken: r.IdToken })), 'NotAuthorizedException');

    const del = await idp.send(new DeleteUserCommand({ AccessToken: r.AccessToken }));
    assert.equal(del.$metadata.httpStatusCode, 200);
    await expectError(getUser(idp, poolId, 'gail'), 'UserNotFoundException', 'User does not exist.');
    await expectError(passwordAuth(idp, clientId, 'gail', PASSWORD), 'UserNotFoundException', 'User does not exist.');
  });
});

describe('username models', { timeout: 60_000 }, () => {
  test('UsernameAttributes [email]: the username must be an email and becomes the sub', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    await expectError(signUp(idp, clientId, 'not-an-email'), 'InvalidParameterException', 'Username should be an email.');
    const su = await signUp(idp, clientId, 'amy@example.com');
    assert.match(su.UserSub, UUID_V4_RE);
    assert.deepEqual(su.CodeDeliveryDetails, EMAIL_DELIVERY);
    const u = await getUser(idp, poolId, 'amy@example.com');
    assert.equal(u.Username, su.UserSub);
    assert.equal(attrMap(u.UserAttributes).email, 'amy@example.com');
    assert.equal((await getUser(idp, poolId, su.UserSub)).Username, su.UserSub);

    const msgs = await readMessages(url, poolId);
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].destination, 'amy@example.com');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'amy@example.com', ConfirmationCode: msgs[0].code }));

    const { AuthenticationResult: r } = await passwordAuth(idp, clientId, 'amy@example.com', PASSWORD);
    const access = decodeJwt(r.AccessToken).payload;
    const id = decodeJwt(r.IdToken).payload;
    assert.equal(access.username, su.UserSub);
    assert.equal(access.sub, su.UserSub);
    assert.equal(id['cognito:username'], su.UserSub);
    assert.equal(id.email, 'amy@example.com');
    assert.equal(id.email_verified, true);

    await expectError(signUp(idp, clientId, 'amy@example.com'), 'UsernameExistsException', 'An account with the given email already exists.');
  });

  test('UsernameConfiguration CaseSensitive false: any case signs in; default pools are case sensitive', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { UsernameConfiguration: { CaseSensitive: false } });
    await createConfirmedUser(idp, poolId, 'MixedCase');
    for (const name of ['MixedCase', 'mixedcase', 'MIXEDCASE']) {
      const { AuthenticationResult: r } = await passwordAuth(idp, clientId, name, PASSWORD);
      assert.ok(r.AccessToken, `sign-in as ${name}`);
    }
    assert.equal((await getUser(idp, poolId, 'mIxEdCaSe')).UserStatus, 'CONFIRMED');
    await expectError(idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'MIXEDCASE', MessageAction: 'SUPPRESS' })),
      'UsernameExistsException', 'User account already exists');

    const cs = await createPoolAndClient(idp);
    await createConfirmedUser(idp, cs.poolId, 'MixedCase');
    assert.ok((await passwordAuth(idp, cs.clientId, 'MixedCase', PASSWORD)).AuthenticationResult.AccessToken);
    await expectError(passwordAuth(idp, cs.clientId, 'mixedcase', PASSWORD), 'UserNotFoundException', 'User does not exist.');
  });

  test('AliasAttributes [email]: sign-in by email once it is verified', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    await createConfirmedUser(idp, poolId, 'tom', PASSWORD, [email('tom@example.com'), { Name: 'email_verified', Value: 'true' }]);
    await createConfirmedUser(idp, poolId, 'sam', PASSWORD, [email('sam@example.com'), { Name: 'email_verified', Value: 'false' }]);
    const r = await passwordAuth(idp, clientId, 'tom@example.com', PASSWORD);
    assert.equal(decodeJwt(r.AuthenticationResult.IdToken).payload['cognito:username'], 'tom');
    assert.equal(decodeJwt(r.AuthenticationResult.AccessToken).payload.username, 'tom');
    assert.ok((await passwordAuth(idp, clientId, 'sam', PASSWORD)).AuthenticationResult.AccessToken);
    await expectError(passwordAuth(idp, clientId, 'sam@example.com', PASSWORD), 'UserNotFoundException', 'User does not exist.');

    // sign-up verifies the email through the confirmation code, after which the alias works
    await signUp(idp, clientId, 'ursula', PASSWORD, [email('ursula@example.com')]);
    const { code } = await lastMessage(url, poolId, 'ursula');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ursula', ConfirmationCode: code }));
    const u = await passwordAuth(idp, clientId, 'ursula@example.com', PASSWORD);
    assert.equal(decodeJwt(u.AuthenticationResult.AccessToken).payload.username, 'ursula');
  });
});

describe('password policy', { timeout: 60_000 }, () => {
  const cases = [
    ['Ab1!x', 'Password not long enough'],
    ['passw0rd!', 'Password must have uppercase characters'],
    ['PASSW0RD!', 'Password must have lowercase characters'],
    ['Password!', 'Password must have numeric characters'],
    ['Passw0rdd', 'Password must have symbol characters'],
  ];

  test('SignUp says "did not conform with policy", admin calls say "with password policy"', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'victor');
    let i = 0;
    for (const [pw, reason] of cases) {
      await expectError(signUp(idp, clientId, `weak${i++}`, pw), 'InvalidPasswordException', SELF_POLICY + reason);
      await expectError(idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'victor', Password: pw, Permanent: true })),
        'InvalidPasswordException', ADMIN_POLICY + reason);
      await expectError(idp.send(new AdminCreateUserCommand({
        UserPoolId: poolId, Username: `weak${i++}`, TemporaryPassword: pw, MessageAction: 'SUPPRESS',
      })), 'InvalidPasswordException', ADMIN_POLICY + reason);
    }
    assert.equal(await estimated(idp, poolId), 1, 'no user was created by a refused call');
    // the old password still works after the refused AdminSetUserPassword calls
    assert.ok((await passwordAuth(idp, clientId, 'victor', PASSWORD)).AuthenticationResult.AccessToken);
  });

  test("a pool's own policy is enforced", async (t) => {
    const { idp } = await emulatorFor(t);
    const { clientId } = await createPoolAndClient(idp, {
      Policies: { PasswordPolicy: {
        MinimumLength: 12, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false,
      } },
    });
    await expectError(signUp(idp, clientId, 'short', 'abcdefghijk'), 'InvalidPasswordException', SELF_POLICY + 'Password not long enough');
    const su = await signUp(idp, clientId, 'long', 'abcdefghijkl');
    assert.equal(su.UserConfirmed, false);
  });
});
