// Password recovery through the AWS SDK for JavaScript v3: ForgotPassword / ConfirmForgotPassword,
// AdminResetUserPassword and ChangePassword, with codes read from the emulator's outbox and
// expiry and limits timed by the emulator clock.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ForgotPasswordCommand, ConfirmForgotPasswordCommand, AdminResetUserPasswordCommand,
  ChangePasswordCommand, AdminGetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, passwordAuth, secretHash, expectError,
  lastMessage, readMessages, setClock, getClock, PASSWORD, OTHER_PASSWORD,
} from './support/idp.mjs';

const MISMATCH = 'Invalid verification code provided, please try again.';
const EXPIRED = 'Invalid code provided, please request a code again.';
const NO_CHANNEL = 'Cannot reset password for the user as there is no registered/verified email or phone_number';
const INCORRECT = 'Incorrect username or password.';
const verifiedEmail = (email) => [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }];

async function status(idp, poolId, username) {
  return (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;
}

describe('password recovery', { timeout: 60_000 }, () => {
  test('ForgotPassword + ConfirmForgotPassword reset the password with the emailed code', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'alice', PASSWORD, verifiedEmail('alice@example.com'));
    const res = await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'alice' }));
    assert.deepEqual(res.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' });
    const msg = await lastMessage(url, poolId, 'alice');
    assert.equal(msg.reason, 'ForgotPassword');
    assert.equal(msg.destination, 'alice@example.com');
    assert.match(msg.code, /^\d{6}$/);

    const wrong = msg.code === '000000' ? '111111' : '000000';
    await expectError(idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'alice', ConfirmationCode: wrong, Password: OTHER_PASSWORD,
    })), 'CodeMismatchException', MISMATCH);
    await expectError(idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'alice', ConfirmationCode: msg.code, Password: 'weakpass',
    })), 'InvalidPasswordException', /^Password did not conform with policy: /);
    await idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'alice', ConfirmationCode: msg.code, Password: OTHER_PASSWORD,
    }));
    assert.ok((await passwordAuth(idp, clientId, 'alice', OTHER_PASSWORD)).AuthenticationResult);
    await expectError(passwordAuth(idp, clientId, 'alice', PASSWORD), 'NotAuthorizedException', INCORRECT);
    // the code is single use
    await expectError(idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'alice', ConfirmationCode: msg.code, Password: 'Th1rd-Passw0rd',
    })), 'ExpiredCodeException', EXPIRED);
  });

  test('codes expire after one hour of emulator time', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'bob', PASSWORD, verifiedEmail('bob@example.com'));
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bob' }));
    const { code } = await lastMessage(url, poolId, 'bob');
    const { now } = await getClock(url);
    await setClock(url, { set: now + 3601 });
    await expectError(idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'bob', ConfirmationCode: code, Password: OTHER_PASSWORD,
    })), 'ExpiredCodeException', EXPIRED);
  });

  test('unknown users, missing channels, admin_only and client secrets', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await expectError(idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost' })),
      'UserNotFoundException', 'User does not exist.');
    await createConfirmedUser(idp, poolId, 'plain', PASSWORD);
    await expectError(idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'plain' })),
      'InvalidParameterException', NO_CHANNEL);

    const hidden = await createPoolAndClient(idp, {}, { PreventUserExistenceErrors: 'ENABLED' });
    const sim = await idp.send(new ForgotPasswordCommand({ ClientId: hidden.clientId, Username: 'ghost@example.org' }));
    assert.deepEqual(sim.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'g***@e***' });
    assert.equal((await readMessages(url, hidden.poolId)).length, 0, 'nothing is sent for an unknown user');
    await expectError(idp.send(new ConfirmForgotPasswordCommand({
      ClientId: hidden.clientId, Username: 'ghost@example.org', ConfirmationCode: '123456', Password: OTHER_PASSWORD,
    })), 'CodeMismatchException', MISMATCH);

    const admin = await createPoolAndClient(idp, {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'admin_only' }] },
    });
    await createConfirmedUser(idp, admin.poolId, 'carl', PASSWORD, verifiedEmail('carl@example.com'));
    await expectError(idp.send(new ForgotPasswordCommand({ ClientId: admin.clientId, Username: 'carl' })),
      'NotAuthorizedException', 'Contact administrator to reset password.');

    const secret = await createPoolAndClient(idp, {}, { GenerateSecret: true });
    await createConfirmedUser(idp, secret.poolId, 'dana', PASSWORD, verifiedEmail('dana@example.com'));
    await expectError(idp.send(new ForgotPasswordCommand({ ClientId: secret.clientId, Username: 'dana' })),
      'NotAuthorizedException', `Client ${secret.clientId} is configured with secret but SECRET_HASH was not received`);
    const ok = await idp.send(new ForgotPasswordCommand({
      ClientId: secret.clientId, Username: 'dana',
      SecretHash: secretHash(secret.client.ClientSecret, 'dana', secret.clientId),
    }));
    assert.equal(ok.CodeDeliveryDetails.AttributeName, 'email');
  });

  test('AdminResetUserPassword forces a reset that the code completes', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'erin', PASSWORD, verifiedEmail('erin@example.com'));
    await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'erin' }));
    assert.equal(await status(idp, poolId, 'erin'), 'RESET_REQUIRED');
    const msg = await lastMessage(url, poolId, 'erin');
    assert.equal(msg.reason, 'AdminResetUserPassword');
    await expectError(passwordAuth(idp, clientId, 'erin', PASSWORD),
      'PasswordResetRequiredException', 'Password reset required for the user');
    await idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'erin', ConfirmationCode: msg.code, Password: OTHER_PASSWORD,
    }));
    assert.equal(await status(idp, poolId, 'erin'), 'CONFIRMED');
    assert.ok((await passwordAuth(idp, clientId, 'erin', OTHER_PASSWORD)).AuthenticationResult);

    await createConfirmedUser(idp, poolId, 'fred', PASSWORD);
    await expectError(idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'fred' })),
      'InvalidParameterException', NO_CHANNEL);
    await expectError(idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'ghost' })),
      'UserNotFoundException', 'User does not exist.');
  });

  test('ChangePassword checks the previous password, the policy and the hourly limit', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'gina', PASSWORD);
    const token = (await passwordAuth(idp, clientId, 'gina', PASSWORD)).AuthenticationResult.AccessToken;
    await expectError(idp.send(new ChangePasswordCommand({
      AccessToken: token, PreviousPassword: 'Wrong-Passw0rd', ProposedPassword: OTHER_PASSWORD,
    })), 'NotAuthorizedException', INCORRECT);
    await expectError(idp.send(new ChangePasswordCommand({
      AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: 'nouppercase1!',
    })), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
    await idp.send(new ChangePasswordCommand({
      AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: OTHER_PASSWORD,
    }));
    assert.ok((await passwordAuth(idp, clientId, 'gina', OTHER_PASSWORD)).AuthenticationResult);
    // three attempts so far this hour; two more are allowed, the sixth is refused
    await idp.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: OTHER_PASSWORD, ProposedPassword: PASSWORD }));
    await idp.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: OTHER_PASSWORD }));
    await expectError(idp.send(new ChangePasswordCommand({
      AccessToken: token, PreviousPassword: OTHER_PASSWORD, ProposedPassword: PASSWORD,
    })), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    const { now } = await getClock(url);
    await setClock(url, { set: now + 3601 });
    const fresh = (await passwordAuth(idp, clientId, 'gina', OTHER_PASSWORD)).AuthenticationResult.AccessToken;
    await idp.send(new ChangePasswordCommand({ AccessToken: fresh, PreviousPassword: OTHER_PASSWORD, ProposedPassword: PASSWORD }));
    assert.ok((await passwordAuth(idp, clientId, 'gina', PASSWORD)).AuthenticationResult);
  });
});
