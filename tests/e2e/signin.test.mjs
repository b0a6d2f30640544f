// Sign-in through the AWS SDK for JavaScript v3: InitiateAuth / AdminInitiateAuth password flows,
// refresh, client secrets, allowed flows, user-existence errors, lockout and the
// NEW_PASSWORD_REQUIRED challenge, timed by the emulator clock.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  InitiateAuthCommand, AdminInitiateAuthCommand, RespondToAuthChallengeCommand,
  AdminRespondToAuthChallengeCommand, AdminCreateUserCommand, AdminGetUserCommand,
  AdminDisableUserCommand, AdminEnableUserCommand, SignUpCommand, GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createClient, createConfirmedUser, passwordAuth, adminPasswordAuth,
  secretHash, expectError, setClock, decodeJwt, attrMap, PASSWORD, OTHER_PASSWORD, ISSUER_PREFIX, USER_FLOWS,
} from './support/idp.mjs';

const INCORRECT = 'Incorrect username or password.';

// SRP's TIMESTAMP: "EEE MMM d HH:mm:ss UTC yyyy", day of month not zero-padded.
function srpTimestamp(d) {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const SESSION_EXPIRED = 'Invalid session for the user, session is expired.';
const SESSION_USED = 'Invalid session for the user, session can only be used once.';

function assertFullResult(res) {
  assert.equal(res.ChallengeName, undefined);
  assert.deepEqual(res.ChallengeParameters, {});
  const r = res.AuthenticationResult;
  assert.ok(r, 'AuthenticationResult present');
  assert.match(r.AccessToken, JWT_RE);
  assert.match(r.IdToken, JWT_RE);
  assert.equal(typeof r.RefreshToken, 'string');
  assert.ok(r.RefreshToken.length > 20, 'RefreshToken is not trivially short');
  assert.equal(r.ExpiresIn, 3600);
  assert.equal(r.TokenType, 'Bearer');
  return r;
}

describe('sign-in with passwords', { timeout: 60_000 }, () => {
  test('USER_PASSWORD_AUTH returns access, ID and refresh tokens for the user', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'alice', PASSWORD, [{ Name: 'email', Value: 'alice@example.com' }]);
    const r = assertFullResult(await passwordAuth(idp, clientId, 'alice', PASSWORD));
    const id = decodeJwt(r.IdToken).payload;
    const access = decodeJwt(r.AccessToken).payload;
    assert.equal(id['cognito:username'], 'alice');
    assert.equal(id.aud, clientId);
    assert.equal(id.iss, ISSUER_PREFIX + poolId);
    assert.equal(access.username, 'alice');
    assert.equal(access.client_id, clientId);
    assert.equal(access.sub, id.sub);
    // the access token is accepted by GetUser
    const me = await idp.send(new GetUserCommand({ AccessToken: r.AccessToken }));
    assert.equal(me.Username, 'alice');
    assert.equal(attrMap(me.UserAttributes).email, 'alice@example.com');
  });

  test('AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH returns tokens', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'bob');
    const r = assertFullResult(await adminPasswordAuth(idp, poolId, clientId, 'bob', PASSWORD));
    assert.equal(decodeJwt(r.AccessToken).payload.username, 'bob');
    await expectError(adminPasswordAuth(idp, poolId, clientId, 'bob', 'Wrong-pass1!'), 'NotAuthorizedException', INCORRECT);
  });

  test('flows must be enabled on the client', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'carol');
    const srpOnly = await createClient(idp, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await expectError(passwordAuth(idp, srpOnly.ClientId, 'carol', PASSWORD),
      'InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
    await expectError(adminPasswordAuth(idp, poolId, srpOnly.ClientId, 'carol', PASSWORD),
      'InvalidParameterException', 'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client');
    // each flow on its own
    const userOnly = await createClient(idp, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
    assertFullResult(await passwordAuth(idp, userOnly.ClientId, 'carol', PASSWORD));
    await expectError(adminPasswordAuth(idp, poolId, userOnly.ClientId, 'carol', PASSWORD),
      'InvalidParameterException', 'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client');
    const adminOnly = await createClient(idp, poolId, { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] });
    assertFullResult(await adminPasswordAuth(idp, poolId, adminOnly.ClientId, 'carol', PASSWORD));
    await expectError(passwordAuth(idp, adminOnly.ClientId, 'carol', PASSWORD),
      'InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
  });

  test('ADMIN_USER_PASSWORD_AUTH sent to InitiateAuth is not supported', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'dave');
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: clientId,
      AuthParameters: { USERNAME: 'dave', PASSWORD },
    })), 'InvalidParameterException', 'Initiate Auth method not supported.');
  });

  test('USER_SRP_AUTH answers PASSWORD_VERIFIER as AWS does; a forged proof is refused', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, {}, {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await createConfirmedUser(idp, poolId, 'erin');
    const ch = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH', ClientId: clientId,
      AuthParameters: { USERNAME: 'erin', SRP_A: 'ab'.repeat(192) },
    }));
    assert.equal(ch.ChallengeName, 'PASSWORD_VERIFIER');
    const p = ch.ChallengeParameters;
    assert.deepEqual(Object.keys(p).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    assert.match(p.SALT, /^[0-9a-f]{1,32}$/);
    assert.match(p.SRP_B, /^[1-9a-f][0-9a-f]*$/);
    assert.ok(p.SRP_B.length > 700, 'B is a 3072-bit number');
    assert.match(p.SECRET_BLOCK, /^[A-Za-z0-9+/]+=*$/);
    assert.equal(p.USER_ID_FOR_SRP, 'erin');
    assert.equal(p.USERNAME, 'erin');
    // A zero A is refused before any challenge.
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'erin', SRP_A: '0' },
    })), 'InvalidParameterException');
    const forged = () => idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId, Session: ch.Session,
      ChallengeResponses: {
        USERNAME: 'erin', PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: srpTimestamp(new Date()),
        PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
      },
    }));
    await expectError(forged(), 'NotAuthorizedException', INCORRECT);
    // The secret block is single use, even after a wrong proof.
    await expectError(forged(), 'NotAuthorizedException', SESSION_USED);
  });

  test('wrong password and unknown user (PreventUserExistenceErrors LEGACY vs ENABLED)', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'frank');
    await expectError(passwordAuth(idp, clientId, 'frank', 'Wrong-pass1!'), 'NotAuthorizedException', INCORRECT);
    // LEGACY is the default for clients created through the API
    await expectError(passwordAuth(idp, clientId, 'nobody', PASSWORD), 'UserNotFoundException', 'User does not exist.');
    await expectError(adminPasswordAuth(idp, poolId, clientId, 'nobody', PASSWORD), 'UserNotFoundException', 'User does not exist.');
    const legacy = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' });
    await expectError(passwordAuth(idp, legacy.ClientId, 'nobody', PASSWORD), 'UserNotFoundException', 'User does not exist.');
    const hiding = await createClient(idp, poolId, { PreventUserExistenceErrors: 'ENABLED' });
    await expectError(passwordAuth(idp, hiding.ClientId, 'nobody', PASSWORD), 'NotAuthorizedException', INCORRECT);
    await expectError(adminPasswordAuth(idp, poolId, hiding.ClientId, 'nobody', PASSWORD), 'NotAuthorizedException', INCORRECT);
    await expectError(passwordAuth(idp, hiding.ClientId, 'frank', 'Wrong-pass1!'), 'NotAuthorizedException', INCORRECT);
    assertFullResult(await passwordAuth(idp, hiding.ClientId, 'frank', PASSWORD));
  });

  test('unconfirmed user is refused with UserNotConfirmedException', async (t) => {
    const { idp } = await emulatorFor(t);
    const { clientId } = await createPoolAndClient(idp);
    const su = await idp.send(new SignUpCommand({ ClientId: clientId, Username: 'gina', Password: PASSWORD }));
    assert.equal(su.UserConfirmed, false);
    await expectError(passwordAuth(idp, clientId, 'gina', PASSWORD), 'UserNotConfirmedException', 'User is not confirmed.');
  });

  test('disabled user is refused; enabling lets them in again', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'hank');
    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'hank' }));
    await expectError(passwordAuth(idp, clientId, 'hank', PASSWORD), 'NotAuthorizedException', 'User is disabled.');
    await expectError(adminPasswordAuth(idp, poolId, clientId, 'hank', PASSWORD), 'NotAuthorizedException', 'User is disabled.');
    await idp.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'hank' }));
    assertFullResult(await passwordAuth(idp, clientId, 'hank', PASSWORD));
  });

  test('lockout: after 5 failures the next attempt within 1 s is refused, then allowed', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'ivan');
    await setClock(url, { freeze: true });
    for (let i = 1; i <= 5; i++) {
      await expectError(passwordAuth(idp, clientId, 'ivan', `Wrong-pass${i}!`), 'NotAuthorizedException', INCORRECT);
    }
    // even the right password is refused while locked
    await expectError(passwordAuth(idp, clientId, 'ivan', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    await expectError(adminPasswordAuth(idp, poolId, clientId, 'ivan', PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    await setClock(url, { advance: 1 });
    assertFullResult(await passwordAuth(idp, clientId, 'ivan', PASSWORD));
    // a success clears the count: 4 more failures do not lock
    for (let i = 1; i <= 4; i++) {
      await expectError(passwordAuth(idp, clientId, 'ivan', `Wrong-pass${i}!`), 'NotAuthorizedException', INCORRECT);
    }
    assertFullResult(await passwordAuth(idp, clientId, 'ivan', PASSWORD));
  });

  test('REFRESH_TOKEN_AUTH returns new access and ID tokens without a refresh token', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'judy');
    const first = assertFullResult(await passwordAuth(idp, clientId, 'judy', PASSWORD));
    await setClock(url, { advance: 60 });
    const res = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
    }));
    assert.equal(res.ChallengeName, undefined);
    const r = res.AuthenticationResult;
    assert.match(r.AccessToken, JWT_RE);
    assert.match(r.IdToken, JWT_RE);
    assert.equal(r.RefreshToken, undefined);
    assert.equal(r.ExpiresIn, 3600);
    assert.equal(r.TokenType, 'Bearer');
    assert.notEqual(r.AccessToken, first.AccessToken);
    const a0 = decodeJwt(first.AccessToken).payload;
    const a1 = decodeJwt(r.AccessToken).payload;
    assert.equal(a1.sub, a0.sub);
    assert.equal(a1.username, 'judy');
    assert.ok(a1.iat >= a0.iat + 60, `refreshed iat ${a1.iat} follows the clock (first ${a0.iat})`);
    assert.equal(a1.auth_time, a0.auth_time, 'auth_time is the original sign-in');
    assert.equal(decodeJwt(r.IdToken).payload['cognito:username'], 'judy');
    const me = await idp.send(new GetUserCommand({ AccessToken: r.AccessToken }));
    assert.equal(me.Username, 'judy');
    // admin flavour
    const adm = await idp.send(new AdminInitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', UserPoolId: poolId, ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
    }));
    assert.match(adm.AuthenticationResult.AccessToken, JWT_RE);
    assert.equal(adm.AuthenticationResult.RefreshToken, undefined);
    // garbage refresh token
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: 'not-a-refresh-token' },
    })), 'NotAuthorizedException');
    // refresh not enabled
    const noRefresh = await createClient(idp, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
    const t2 = assertFullResult(await passwordAuth(idp, noRefresh.ClientId, 'judy', PASSWORD));
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: noRefresh.ClientId, AuthParameters: { REFRESH_TOKEN: t2.RefreshToken },
    })), 'InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client');
  });

  test('client with a secret requires a correct SECRET_HASH', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await createPoolAndClient(idp);
    const client = await createClient(idp, poolId, { GenerateSecret: true });
    const { ClientId: id, ClientSecret: secret } = client;
    assert.equal(typeof secret, 'string');
    await createConfirmedUser(idp, poolId, 'kate');
    await expectError(passwordAuth(idp, id, 'kate', PASSWORD), 'NotAuthorizedException',
      `Client ${id} is configured with secret but SECRET_HASH was not received`);
    await expectError(passwordAuth(idp, id, 'kate', PASSWORD, { SECRET_HASH: secretHash(secret, 'someone-else', id) }),
      'NotAuthorizedException', `Unable to verify secret hash for client ${id}`);
    await expectError(passwordAuth(idp, id, 'kate', PASSWORD, { SECRET_HASH: secretHash('wrong-secret', 'kate', id) }),
      'NotAuthorizedException', `Unable to verify secret hash for client ${id}`);
    await expectError(adminPasswordAuth(idp, poolId, id, 'kate', PASSWORD), 'NotAuthorizedException',
      `Client ${id} is configured with secret but SECRET_HASH was not received`);
    const r = assertFullResult(await passwordAuth(idp, id, 'kate', PASSWORD, { SECRET_HASH: secretHash(secret, 'kate', id) }));
    assertFullResult(await adminPasswordAuth(idp, poolId, id, 'kate', PASSWORD, { SECRET_HASH: secretHash(secret, 'kate', id) }));
    // refresh with the secret hash
    const ref = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: id,
      AuthParameters: { REFRESH_TOKEN: r.RefreshToken, SECRET_HASH: secretHash(secret, 'kate', id) },
    }));
    assert.match(ref.AuthenticationResult.AccessToken, JWT_RE);
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: id, AuthParameters: { REFRESH_TOKEN: r.RefreshToken },
    })), 'NotAuthorizedException', `Client ${id} is configured with secret but SECRET_HASH was not received`);
  });
});

describe('NEW_PASSWORD_REQUIRED', { timeout: 60_000 }, () => {
  async function invited(idp, poolId, username, attrs = []) {
    const { User } = await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS',
      UserAttributes: attrs,
    }));
    assert.equal(User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    return User;
  }

  test('challenge, answer with a new password, tokens; the session is single use', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await invited(idp, poolId, 'liam', [{ Name: 'email', Value: 'liam@example.com' }, { Name: 'email_verified', Value: 'true' }]);
    const ch = await passwordAuth(idp, clientId, 'liam', 'Temp0rary!');
    assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(ch.AuthenticationResult, undefined);
    assert.equal(typeof ch.Session, 'string');
    assert.ok(ch.Session.length >= 20);
    assert.deepEqual(Object.keys(ch.ChallengeParameters).sort(), ['USER_ID_FOR_SRP', 'requiredAttributes', 'userAttributes']);
    assert.equal(ch.ChallengeParameters.USER_ID_FOR_SRP, 'liam');
    assert.deepEqual(JSON.parse(ch.ChallengeParameters.requiredAttributes), []);
    assert.deepEqual(JSON.parse(ch.ChallengeParameters.userAttributes), { email: 'liam@example.com', email_verified: 'true' });

    const res = await idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: clientId, Session: ch.Session,
      ChallengeResponses: { USERNAME: 'liam', NEW_PASSWORD: OTHER_PASSWORD },
    }));
    assertFullResult(res);
    assert.equal(decodeJwt(res.AuthenticationResult.IdToken).payload['cognito:username'], 'liam');
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'liam' }));
    assert.equal(u.UserStatus, 'CONFIRMED');

    await expectError(idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: clientId, Session: ch.Session,
      ChallengeResponses: { USERNAME: 'liam', NEW_PASSWORD: 'Y3t-another!' },
    })), 'NotAuthorizedException', SESSION_USED);

    // the temporary password no longer works; the new one does
    await expectError(passwordAuth(idp, clientId, 'liam', 'Temp0rary!'), 'NotAuthorizedException', INCORRECT);
    assertFullResult(await passwordAuth(idp, clientId, 'liam', OTHER_PASSWORD));
  });

  test('required attributes are asked for and set through userAttributes.<name>', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, {
      Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
    });
    await invited(idp, poolId, 'mia');
    const ch = await passwordAuth(idp, clientId, 'mia', 'Temp0rary!');
    assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.deepEqual(JSON.parse(ch.ChallengeParameters.requiredAttributes), ['userAttributes.name']);
    assert.deepEqual(JSON.parse(ch.ChallengeParameters.userAttributes), {});
    const res = await idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: clientId, Session: ch.Session,
      ChallengeResponses: { USERNAME: 'mia', NEW_PASSWORD: OTHER_PASSWORD, 'userAttributes.name': 'Mia Wallace' },
    }));
    const r = assertFullResult(res);
    assert.equal(decodeJwt(r.IdToken).payload.name, 'Mia Wallace');
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'mia' }));
    assert.equal(attrMap(u.UserAttributes).name, 'Mia Wallace');
    assert.equal(u.UserStatus, 'CONFIRMED');
  });

  test('AdminInitiateAuth + AdminRespondToAuthChallenge', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await invited(idp, poolId, 'noah');
    const ch = await adminPasswordAuth(idp, poolId, clientId, 'noah', 'Temp0rary!');
    assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(ch.ChallengeParameters.USER_ID_FOR_SRP, 'noah');
    const res = await idp.send(new AdminRespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', UserPoolId: poolId, ClientId: clientId, Session: ch.Session,
      ChallengeResponses: { USERNAME: 'noah', NEW_PASSWORD: OTHER_PASSWORD },
    }));
    assertFullResult(res);
    assertFullResult(await adminPasswordAuth(idp, poolId, clientId, 'noah', OTHER_PASSWORD));
  });

  test('the session expires after 3 minutes (AuthSessionValidity default)', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { pool, poolId, clientId } = await createPoolAndClient(idp);
    assert.ok(pool.Id);
    await invited(idp, poolId, 'olga');
    await setClock(url, { freeze: true });
    const late = await passwordAuth(idp, clientId, 'olga', 'Temp0rary!');
    await setClock(url, { advance: 3 * 60 + 1 });
    await expectError(idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: clientId, Session: late.Session,
      ChallengeResponses: { USERNAME: 'olga', NEW_PASSWORD: OTHER_PASSWORD },
    })), 'NotAuthorizedException', SESSION_EXPIRED);
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'olga' }));
    assert.equal(u.UserStatus, 'FORCE_CHANGE_PASSWORD');
    // a session answered just inside 3 minutes still works
    const inTime = await passwordAuth(idp, clientId, 'olga', 'Temp0rary!');
    await setClock(url, { advance: 3 * 60 - 5 });
    assertFullResult(await idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: clientId, Session: inTime.Session,
      ChallengeResponses: { USERNAME: 'olga', NEW_PASSWORD: OTHER_PASSWORD },
    })));
  });

  test('a temporary password older than TemporaryPasswordValidityDays has expired', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, {
      Policies: { PasswordPolicy: {
        MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true,
        RequireSymbols: true, TemporaryPasswordValidityDays: 1,
      } },
    });
    await setClock(url, { freeze: true });
    await invited(idp, poolId, 'pete');
    await invited(idp, poolId, 'quinn');
    await setClock(url, { advance: 86_400 - 10 });
    const ok = await passwordAuth(idp, clientId, 'quinn', 'Temp0rary!');
    assert.equal(ok.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await setClock(url, { advance: 11 });
    await expectError(passwordAuth(idp, clientId, 'pete', 'Temp0rary!'), 'NotAuthorizedException',
      'Temporary password has expired and must be reset by an administrator.');
  });
});

describe('client defaults', { timeout: 60_000 }, () => {
  test('a client created with no ExplicitAuthFlows cannot use USER_PASSWORD_AUTH', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'rita');
    const plain = await createClient(idp, poolId, { ExplicitAuthFlows: undefined });
    await expectError(passwordAuth(idp, plain.ClientId, 'rita', PASSWORD),
      'InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
    assert.ok(USER_FLOWS.includes('ALLOW_USER_PASSWORD_AUTH'));
  });
});
