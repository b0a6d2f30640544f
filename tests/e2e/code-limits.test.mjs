// Limits on codes and sessions through the AWS SDK for JavaScript v3: ConfirmForgotPassword stops
// accepting attempts after five wrong codes (even the right one) until a new code is requested,
// and a NEW_PASSWORD_REQUIRED session dies when the password is reset by an admin or when the
// user is deleted and re-created.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ForgotPasswordCommand, ConfirmForgotPasswordCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand,
  AdminDeleteUserCommand, AdminRespondToAuthChallengeCommand, RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, passwordAuth, adminPasswordAuth, expectError, lastMessage,
  decodeJwt, PASSWORD, OTHER_PASSWORD, USER_FLOWS,
} from './support/idp.mjs';

const MISMATCH = 'CodeMismatchException';
const INVALID_SESSION = 'Invalid session for the user.';
const TEMP = 'Temp-Passw0rd!';
const TEMP2 = 'Temp2-Passw0rd!';

describe('ConfirmForgotPassword attempt limit', { timeout: 60_000 }, () => {
  test('five wrong codes, then LimitExceededException even for the right code; a new code works', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'lena', PASSWORD, [
      { Name: 'email', Value: 'lena@example.com' }, { Name: 'email_verified', Value: 'true' },
    ]);
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'lena' }));
    const msg = await lastMessage(url, poolId, 'lena');
    assert.equal(msg.reason, 'ForgotPassword');
    const code = msg.code;
    assert.match(code, /^\d{6}$/);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const confirm = (c, password = OTHER_PASSWORD) => idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'lena', ConfirmationCode: c, Password: password,
    }));
    for (let i = 1; i <= 5; i++) {
      await expectError(confirm(wrong), MISMATCH);
    }
    await expectError(confirm(code), 'LimitExceededException');
    // the password did not change
    await expectError(passwordAuth(idp, clientId, 'lena', OTHER_PASSWORD), 'NotAuthorizedException');
    assert.ok((await passwordAuth(idp, clientId, 'lena', PASSWORD)).AuthenticationResult);

    // a new code works
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'lena' }));
    const fresh = await lastMessage(url, poolId, 'lena');
    assert.notEqual(fresh.id, msg.id, 'a new message');
    await confirm(fresh.code);
    const r = await passwordAuth(idp, clientId, 'lena', OTHER_PASSWORD);
    assert.equal(decodeJwt(r.AuthenticationResult.AccessToken).payload.username, 'lena');
  });

  test('fewer than five wrong codes leave the right code usable', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'mia', PASSWORD, [
      { Name: 'email', Value: 'mia@example.com' }, { Name: 'email_verified', Value: 'true' },
    ]);
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'mia' }));
    const { code } = await lastMessage(url, poolId, 'mia');
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 4; i++) {
      await expectError(idp.send(new ConfirmForgotPasswordCommand({
        ClientId: clientId, Username: 'mia', ConfirmationCode: wrong, Password: OTHER_PASSWORD,
      })), MISMATCH);
    }
    await idp.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: 'mia', ConfirmationCode: code, Password: OTHER_PASSWORD,
    }));
    assert.ok((await passwordAuth(idp, clientId, 'mia', OTHER_PASSWORD)).AuthenticationResult);
  });
});

describe('NEW_PASSWORD_REQUIRED sessions', { timeout: 60_000 }, () => {
  /** A pool and client; user 'nora' created with a temporary password (FORCE_CHANGE_PASSWORD). */
  async function setup(idp) {
    const { poolId, clientId } = await createPoolAndClient(idp, {}, { ExplicitAuthFlows: USER_FLOWS });
    await createTempUser(idp, poolId);
    return { poolId, clientId };
  }
  const createTempUser = (idp, poolId, temp = TEMP) => idp.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: 'nora', TemporaryPassword: temp, MessageAction: 'SUPPRESS',
  }));
  async function challenge(idp, poolId, clientId, password = TEMP) {
    const res = await adminPasswordAuth(idp, poolId, clientId, 'nora', password);
    assert.equal(res.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(typeof res.Session, 'string');
    return res.Session;
  }
  const answerAdmin = (idp, poolId, clientId, Session) => idp.send(new AdminRespondToAuthChallengeCommand({
    UserPoolId: poolId, ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session,
    ChallengeResponses: { USERNAME: 'nora', NEW_PASSWORD: PASSWORD },
  }));
  const answer = (idp, clientId, Session) => idp.send(new RespondToAuthChallengeCommand({
    ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session,
    ChallengeResponses: { USERNAME: 'nora', NEW_PASSWORD: PASSWORD },
  }));

  test('a session opened before AdminSetUserPassword is dead afterwards', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await setup(idp);
    const s1 = await challenge(idp, poolId, clientId);
    const s2 = await challenge(idp, poolId, clientId);
    // a new temporary password (the user stays in FORCE_CHANGE_PASSWORD)
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'nora', Password: TEMP2, Permanent: false }));
    await expectError(answerAdmin(idp, poolId, clientId, s1), 'NotAuthorizedException', INVALID_SESSION);
    await expectError(answer(idp, clientId, s2), 'NotAuthorizedException', INVALID_SESSION);
    // a session opened with the new temporary password works
    const s3 = await challenge(idp, poolId, clientId, TEMP2);
    const done = await answerAdmin(idp, poolId, clientId, s3);
    assert.equal(decodeJwt(done.AuthenticationResult.AccessToken).payload.username, 'nora');
  });

  test('a session opened before a permanent AdminSetUserPassword is dead afterwards', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await setup(idp);
    const s1 = await challenge(idp, poolId, clientId);
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'nora', Password: OTHER_PASSWORD, Permanent: true }));
    await expectError(answerAdmin(idp, poolId, clientId, s1), 'NotAuthorizedException', INVALID_SESSION);
  });

  test('a session of a deleted and re-created user is dead', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await setup(idp);
    const s1 = await challenge(idp, poolId, clientId);
    const s2 = await challenge(idp, poolId, clientId);
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'nora' }));
    await createTempUser(idp, poolId); // same name, same temporary password
    await expectError(answerAdmin(idp, poolId, clientId, s1), 'NotAuthorizedException', INVALID_SESSION);
    await expectError(answer(idp, clientId, s2), 'NotAuthorizedException', INVALID_SESSION);
    // the new user signs in normally
    const s3 = await challenge(idp, poolId, clientId);
    assert.ok((await answer(idp, clientId, s3)).AuthenticationResult.AccessToken);
  });
});
