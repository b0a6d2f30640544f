// amazon-cognito-identity-js (the library behind Amplify v5) running in Node against the
// emulator: sign-up, confirmation with the outbox code, USER_PASSWORD_AUTH sign-in, GetUser,
// refresh, the NEW_PASSWORD_REQUIRED callback path, and the default SRP flow.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import cognito from 'amazon-cognito-identity-js';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, lastMessage, decodeJwt, closeConnectionsInGlobalFetch,
  PASSWORD, OTHER_PASSWORD, USER_FLOWS, UUID_V4_RE,
} from './support/idp.mjs';

const {
  CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoUserAttribute, CognitoUserSession,
} = cognito;

// The library uses the global fetch (Node 20 has it) and global crypto (also there). Every
// request it makes asks the emulator to close the connection afterwards, so stopping the
// emulator is not held up by idle keep-alive sockets.
let restoreFetch;
before(() => { restoreFetch = closeConnectionsInGlobalFetch(); });
after(() => restoreFetch?.());

const CALLBACK_TIMEOUT_MS = 10_000;

/** Run fn(resolve, reject) and fail if neither is called in time (a hang is a failure). */
function withTimeout(what, fn) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no callback within ${CALLBACK_TIMEOUT_MS} ms`)), CALLBACK_TIMEOUT_MS);
    fn((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

const nodeCallback = (what, fn) => withTimeout(what, (resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));

async function setup(t) {
  const { idp, url } = await emulatorFor(t);
  const { poolId, clientId } = await createPoolAndClient(idp, { AutoVerifiedAttributes: ['email'] }, {
    ExplicitAuthFlows: [...USER_FLOWS, 'ALLOW_USER_SRP_AUTH'],
  });
  const userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url + '/' });
  return { idp, url, poolId, clientId, userPool };
}

function userFor(userPool, username, flow = 'USER_PASSWORD_AUTH') {
  const user = new CognitoUser({ Username: username, Pool: userPool });
  if (flow) user.setAuthenticationFlowType(flow);
  return user;
}

/** authenticateUser → {kind: 'success', session} | {kind: 'newPasswordRequired', ...}; rejects on onFailure. */
function authenticate(user, username, password) {
  return withTimeout('authenticateUser', (resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ kind: 'success', session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
      mfaRequired: () => reject(new Error('unexpected mfaRequired')),
      totpRequired: () => reject(new Error('unexpected totpRequired')),
      customChallenge: () => reject(new Error('unexpected customChallenge')),
      mfaSetup: () => reject(new Error('unexpected mfaSetup')),
      selectMFAType: () => reject(new Error('unexpected selectMFAType')),
    });
  });
}

async function authFailure(user, username, password) {
  let err;
  try {
    const r = await authenticate(user, username, password);
    assert.fail(`expected onFailure, got ${r.kind}`);
  } catch (e) {
    err = e;
  }
  return err;
}

describe('amazon-cognito-identity-js', { timeout: 60_000 }, () => {
  test('signUp, confirmRegistration with the outbox code, authenticateUser, getUserAttributes', async (t) => {
    const { url, poolId, clientId, userPool } = await setup(t);
    const attrs = [new CognitoUserAttribute({ Name: 'email', Value: 'jade@example.com' })];
    const su = await nodeCallback('signUp', (cb) => userPool.signUp('jade', PASSWORD, attrs, null, cb));
    assert.equal(su.userConfirmed, false);
    assert.match(su.userSub, UUID_V4_RE);
    assert.deepEqual(su.codeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'j***@e***' });
    assert.ok(su.user instanceof CognitoUser);
    assert.equal(su.user.getUsername(), 'jade');

    const { code } = await lastMessage(url, poolId, 'jade');
    const wrong = await nodeCallback('confirmRegistration', (cb) => su.user.confirmRegistration(code === '000000' ? '111111' : '000000', true, cb))
      .then(() => null, (e) => e);
    assert.ok(wrong, 'a wrong code is refused');
    assert.equal(wrong.code, 'CodeMismatchException');
    assert.equal(wrong.message, 'Invalid verification code provided, please try again.');
    const confirmed = await nodeCallback('confirmRegistration', (cb) => su.user.confirmRegistration(code, true, cb));
    assert.equal(confirmed, 'SUCCESS');

    const user = userFor(userPool, 'jade');
    const { kind, session } = await authenticate(user, 'jade', PASSWORD);
    assert.equal(kind, 'success');
    assert.ok(session instanceof CognitoUserSession);
    assert.equal(session.isValid(), true);
    const idJwt = session.getIdToken().getJwtToken();
    const accessJwt = session.getAccessToken().getJwtToken();
    assert.equal(decodeJwt(idJwt).payload.sub, su.userSub);
    assert.equal(session.getIdToken().payload['cognito:username'], 'jade');
    assert.equal(session.getIdToken().payload.email, 'jade@example.com');
    assert.equal(session.getIdToken().payload.aud, clientId);
    assert.equal(session.getAccessToken().payload.username, 'jade');
    assert.equal(session.getAccessToken().payload.client_id, clientId);
    assert.equal(decodeJwt(accessJwt).payload.token_use, 'access');
    assert.equal(session.getAccessToken().getExpiration() - session.getAccessToken().getIssuedAt(), 3600);
    assert.ok(session.getRefreshToken().getToken().length > 20);

    const list = await nodeCallback('getUserAttributes', (cb) => user.getUserAttributes(cb));
    const got = Object.fromEntries(list.map((a) => [a.getName(), a.getValue()]));
    assert.deepEqual(got, { sub: su.userSub, email: 'jade@example.com', email_verified: 'true' });
  });

  test('wrong password → onFailure NotAuthorizedException; unknown user → UserNotFoundException', async (t) => {
    const { idp, poolId, userPool } = await setup(t);
    await createConfirmedUser(idp, poolId, 'kim');
    const err = await authFailure(userFor(userPool, 'kim'), 'kim', 'Wrong-pass1!');
    assert.equal(err.code, 'NotAuthorizedException');
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    const missing = await authFailure(userFor(userPool, 'nobody'), 'nobody', PASSWORD);
    assert.equal(missing.code, 'UserNotFoundException');
    assert.equal(missing.message, 'User does not exist.');
  });

  test('refreshSession uses REFRESH_TOKEN_AUTH and keeps the refresh token', async (t) => {
    const { idp, poolId, userPool } = await setup(t);
    await createConfirmedUser(idp, poolId, 'lena');
    const user = userFor(userPool, 'lena');
    const { session } = await authenticate(user, 'lena', PASSWORD);
    const refreshed = await nodeCallback('refreshSession', (cb) => user.refreshSession(session.getRefreshToken(), cb));
    assert.ok(refreshed instanceof CognitoUserSession);
    assert.equal(refreshed.isValid(), true);
    assert.equal(refreshed.getAccessToken().payload.username, 'lena');
    assert.equal(refreshed.getIdToken().payload.sub, session.getIdToken().payload.sub);
    assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());
    // the pool remembers the signed-in user (in memory storage) and hands back a valid session
    const current = userPool.getCurrentUser();
    assert.ok(current, 'getCurrentUser returns the last signed-in user');
    assert.equal(current.getUsername(), 'lena');
    const again = await nodeCallback('getSession', (cb) => current.getSession(cb));
    assert.equal(again.isValid(), true);
  });

  test('newPasswordRequired → completeNewPasswordChallenge for an AdminCreateUser user', async (t) => {
    const { idp, poolId, userPool } = await setup(t);
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'milo', TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'milo@example.com' }, { Name: 'name', Value: 'Milo' }],
    }));
    const user = userFor(userPool, 'milo');
    const challenge = await withTimeout('authenticateUser', (resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: 'milo', Password: 'Temp0rary!' }), {
        onSuccess: () => reject(new Error('expected newPasswordRequired, got onSuccess')),
        onFailure: reject,
        newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ userAttributes, requiredAttributes }),
      });
    });
    assert.deepEqual(challenge.userAttributes, { email: 'milo@example.com', name: 'Milo' });
    assert.deepEqual(challenge.requiredAttributes, []);
    const session = await withTimeout('completeNewPasswordChallenge', (resolve, reject) => {
      user.completeNewPasswordChallenge(OTHER_PASSWORD, { name: 'Milo M.' }, {
        onSuccess: resolve,
        onFailure: reject,
      });
    });
    assert.equal(session.isValid(), true);
    assert.equal(session.getIdToken().payload['cognito:username'], 'milo');
    assert.equal(session.getIdToken().payload.name, 'Milo M.');
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'milo' }));
    assert.equal(u.UserStatus, 'CONFIRMED');
    const { kind } = await authenticate(userFor(userPool, 'milo'), 'milo', OTHER_PASSWORD);
    assert.equal(kind, 'success');
  });

  test('the default flow, USER_SRP_AUTH: the proof is verified, a wrong password refused', async (t) => {
    const { idp, poolId, clientId, userPool } = await setup(t);
    await createConfirmedUser(idp, poolId, 'nina');
    const user = userFor(userPool, 'nina', null);
    assert.equal(user.getAuthenticationFlowType(), 'USER_SRP_AUTH');
    const r = await authenticate(user, 'nina', PASSWORD);
    assert.equal(r.kind, 'success');
    const access = decodeJwt(r.session.getAccessToken().getJwtToken()).payload;
    assert.equal(access.username, 'nina');
    assert.equal(access.client_id, clientId);
    const err = await authFailure(userFor(userPool, 'nina', null), 'nina', OTHER_PASSWORD);
    assert.equal(err.code, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
  });
});
