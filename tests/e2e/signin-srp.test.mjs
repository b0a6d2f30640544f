// USER_SRP_AUTH over the raw protocol (AWS SDK for JavaScript v3) with the test SRP client in
// support/srp.mjs: the client's own test vector, round trips through InitiateAuth /
// RespondToAuthChallenge and the Admin pair, SECRET_HASH on both steps, wrong proofs and the
// lockout, single-use secret blocks, the TIMESTAMP window, session expiry and invalidation,
// unknown users with and without PreventUserExistenceErrors, NEW_PASSWORD_REQUIRED after the
// proof, and USER_ID_FOR_SRP = sub in an email-as-username pool. TIMESTAMPs are stamped from the
// EMULATOR clock (GET /_emulator/clock), as a client whose machine clock agrees with it would.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  InitiateAuthCommand, RespondToAuthChallengeCommand, AdminInitiateAuthCommand, AdminRespondToAuthChallengeCommand,
  AdminCreateUserCommand, AdminSetUserPasswordCommand, AdminDeleteUserCommand, AdminGetUserCommand, GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognito from 'amazon-cognito-identity-js';
import BigIntegerModule from 'amazon-cognito-identity-js/lib/BigInteger.js';
import {
  emulatorFor, createPoolAndClient, createClient, createConfirmedUser, secretHash, expectError, setClock, getClock,
  decodeJwt, PASSWORD, OTHER_PASSWORD, UUID_V4_RE,
} from './support/idp.mjs';
import {
  k, N, g, modPow, verifier, serverB, clientEphemeral, passwordAuthenticationKey, claimSignature, srpTimestamp,
  srpPoolName, verifierResponses, pad,
} from './support/srp.mjs';

const BigInteger = BigIntegerModule.default ?? BigIntegerModule;
const SRP_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const INCORRECT = 'Incorrect username or password.';
const SESSION_USED = 'Invalid session for the user, session can only be used once.';
const SESSION_EXPIRED = 'Invalid session for the user, session is expired.';
const SESSION_INVALID = 'Invalid session for the user.';
const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const emulatorNow = async (url) => Math.floor((await getClock(url)).now);

/**
 * Step 1: (Admin)InitiateAuth USER_SRP_AUTH with a fresh A. Returns {ch, eph}.
 * o: {idp, clientId, poolId?, admin?, username, hash?: SECRET_HASH or undefined}
 */
async function srpStart({ idp, clientId, poolId, admin = false, username, hash }) {
  const eph = clientEphemeral();
  const AuthParameters = { USERNAME: username, SRP_A: eph.srpA, ...(hash !== undefined ? { SECRET_HASH: hash } : {}) };
  const ch = admin
    ? await idp.send(new AdminInitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', UserPoolId: poolId, ClientId: clientId, AuthParameters }))
    : await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters }));
  return { ch, eph };
}

/**
 * Step 2: answer PASSWORD_VERIFIER. o: {idp, url, clientId, poolId, admin?, ch, eph, password,
 * timestamp? (default: emulator now), userId? (default USER_ID_FOR_SRP), hash?, extra?}
 */
async function srpAnswer({ idp, url, clientId, poolId, admin = false, ch, eph, password, timestamp, userId, hash, extra = {} }) {
  const ts = timestamp ?? srpTimestamp(await emulatorNow(url));
  const responses = verifierResponses({
    poolName: srpPoolName(poolId), params: ch.ChallengeParameters, password, a: eph.a, timestamp: ts, userId,
    username: ch.ChallengeParameters.USER_ID_FOR_SRP,
    extra: { ...(hash !== undefined ? { SECRET_HASH: hash } : {}), ...extra },
  });
  const input = { ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId, Session: ch.Session, ChallengeResponses: responses };
  return admin
    ? idp.send(new AdminRespondToAuthChallengeCommand({ ...input, UserPoolId: poolId }))
    : idp.send(new RespondToAuthChallengeCommand(input));
}

/** Both steps; returns the RespondToAuthChallenge response. */
async function srpSignIn(o) {
  const { ch, eph } = await srpStart(o);
  assert.equal(ch.ChallengeName, 'PASSWORD_VERIFIER');
  return srpAnswer({ ...o, ch, eph, hash: o.answerHash ?? o.hash });
}

function assertTokens(res) {
  assert.equal(res.ChallengeName, undefined);
  const r = res.AuthenticationResult;
  assert.ok(r, `AuthenticationResult present: ${JSON.stringify(res)}`);
  assert.match(r.AccessToken, JWT_RE);
  assert.match(r.IdToken, JWT_RE);
  assert.ok(r.RefreshToken?.length > 20);
  assert.equal(r.TokenType, 'Bearer');
  return r;
}

async function setup(t, poolInput = {}, clientInput = {}) {
  const { idp, url } = await emulatorFor(t);
  const { poolId, clientId } = await createPoolAndClient(idp, poolInput, { ExplicitAuthFlows: SRP_FLOWS, ...clientInput });
  return { idp, url, poolId, clientId };
}

describe('USER_SRP_AUTH over the raw protocol', { timeout: 120_000 }, () => {
  test('the SRP helper reproduces the reference vector (and agrees with amazon-cognito-identity-js)', async () => {
    const a = BigInt('0x' + '303adf81e2c6f5f2afb191edc2fc87c39697100712d3d14729197172fc4907ce'.repeat(4));
    const b = BigInt('0x' + '102cb92f1ae96c344f738c8ca86dee7c706e201f946bd254bd2d922aa754b9a5'.repeat(4));
    const salt = '9f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const secretBlock = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==';
    assert.equal(k.toString(16), '538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
    assert.equal(N.toString(2).length, 3072);
    const B = serverB(verifier('TestPool1', 'alice', 'Passw0rd!', salt), b);
    const key = passwordAuthenticationKey({ poolName: 'TestPool1', userId: 'alice', password: 'Passw0rd!', saltHex: salt, srpB: B, a });
    assert.equal(key.toString('hex'), 'd1d06ae93b6b22e9d5059a0716f1697d');
    const ts = srpTimestamp(new Date(Date.UTC(2024, 2, 5, 9, 7, 1)));
    assert.equal(ts, 'Tue Mar 5 09:07:01 UTC 2024');
    assert.equal(srpTimestamp(Date.UTC(2024, 2, 5, 9, 7, 1) / 1000, { padDay: true }), 'Tue Mar 05 09:07:01 UTC 2024');
    assert.equal(claimSignature({ key, poolName: 'TestPool1', userId: 'alice', secretBlock, timestamp: ts }),
      'fa2N51MDXvMjwlb142XwMMTFyQsyXgcQhpg+om2ZaKA=');
    // A = g^a, as the clients send it (hex, no padding)
    const A = modPow(g, a, N);
    assert.equal(clientEphemeral(a).srpA, A.toString(16));
    // PAD keeps a leading zero byte when the top bit is set
    assert.deepEqual([...pad(0x80n)], [0, 0x80]);
    assert.deepEqual([...pad(0x7fn)], [0x7f]);

    // the library's AuthenticationHelper with the same a derives the same key
    const helper = new cognito.AuthenticationHelper('TestPool1');
    helper.smallAValue = new BigInteger(a.toString(16), 16);
    helper.largeAValue = null;
    const libKey = await new Promise((resolve, reject) => {
      helper.getLargeAValue((e) => {
        if (e) return reject(e);
        assert.equal(helper.largeAValue.toString(16), A.toString(16));
        return helper.getPasswordAuthenticationKey('alice', 'Passw0rd!', new BigInteger(B.toString(16), 16),
          new BigInteger(salt, 16), (err, hkdf) => (err ? reject(err) : resolve(Buffer.from(hkdf))));
      });
    });
    assert.equal(libKey.toString('hex'), 'd1d06ae93b6b22e9d5059a0716f1697d');
  });

  test('a full round trip through InitiateAuth / RespondToAuthChallenge and AdminInitiateAuth / AdminRespondToAuthChallenge', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t);
    await createConfirmedUser(idp, poolId, 'alice');
    const { ch, eph } = await srpStart({ idp, clientId, username: 'alice' });
    assert.equal(ch.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(ch.ChallengeParameters.USER_ID_FOR_SRP, 'alice');
    assert.equal(ch.ChallengeParameters.USERNAME, 'alice');
    const res = await srpAnswer({ idp, url, clientId, poolId, ch, eph, password: PASSWORD });
    const r = assertTokens(res);
    const access = decodeJwt(r.AccessToken).payload;
    assert.equal(access.username, 'alice');
    assert.equal(access.client_id, clientId);
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: r.AccessToken }))).Username, 'alice');

    const admin = assertTokens(await srpSignIn({ idp, url, clientId, poolId, admin: true, username: 'alice', password: PASSWORD }));
    assert.equal(decodeJwt(admin.IdToken).payload['cognito:username'], 'alice');
    await expectError(srpSignIn({ idp, url, clientId, poolId, admin: true, username: 'alice', password: OTHER_PASSWORD }),
      'NotAuthorizedException', INCORRECT);
  });

  test('a client with a secret needs SECRET_HASH on both steps', async (t) => {
    const { idp, url, poolId } = await setup(t);
    const client = await createClient(idp, poolId, { ExplicitAuthFlows: SRP_FLOWS, GenerateSecret: true });
    const { ClientId: clientId, ClientSecret: secret } = client;
    await createConfirmedUser(idp, poolId, 'bea');
    const missing = `Client ${clientId} is configured with secret but SECRET_HASH was not received`;
    const wrong = `Unable to verify secret hash for client ${clientId}`;
    const good = secretHash(secret, 'bea', clientId);
    const bad = secretHash(secret, 'someone-else', clientId);

    await expectError(srpStart({ idp, clientId, username: 'bea' }), 'NotAuthorizedException', missing);
    await expectError(srpStart({ idp, clientId, username: 'bea', hash: bad }), 'NotAuthorizedException', wrong);
    await expectError(srpStart({ idp, clientId, poolId, admin: true, username: 'bea' }), 'NotAuthorizedException', missing);

    // the second step checks it too
    let s = await srpStart({ idp, clientId, username: 'bea', hash: good });
    assert.equal(s.ch.ChallengeName, 'PASSWORD_VERIFIER');
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD }), 'NotAuthorizedException', missing);
    s = await srpStart({ idp, clientId, username: 'bea', hash: good });
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD, hash: bad }), 'NotAuthorizedException', wrong);
    s = await srpStart({ idp, clientId, username: 'bea', hash: good });
    assertTokens(await srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD, hash: good }));
    assertTokens(await srpSignIn({ idp, url, clientId, poolId, admin: true, username: 'bea', password: PASSWORD, hash: good }));
  });

  test('with a secret in an email-as-username pool the second SECRET_HASH is over USER_ID_FOR_SRP (the sub)', async (t) => {
    const { idp, url, poolId } = await setup(t, { UsernameAttributes: ['email'] });
    const { ClientId: clientId, ClientSecret: secret } = await createClient(idp, poolId, { ExplicitAuthFlows: SRP_FLOWS, GenerateSecret: true });
    const { Username: sub } = await createConfirmedUser(idp, poolId, 'cy@example.com', PASSWORD, [{ Name: 'email', Value: 'cy@example.com' }]);
    const s = await srpStart({ idp, clientId, username: 'cy@example.com', hash: secretHash(secret, 'cy@example.com', clientId) });
    assert.equal(s.ch.ChallengeParameters.USER_ID_FOR_SRP, sub);
    assertTokens(await srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD, hash: secretHash(secret, sub, clientId) }));
  });

  test('wrong password → "Incorrect username or password."; after 5 wrong proofs the 6th, even correct, → "Password attempts exceeded"', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t);
    await createConfirmedUser(idp, poolId, 'dan');
    await setClock(url, { freeze: true });
    for (let i = 1; i <= 5; i++) {
      await expectError(srpSignIn({ idp, url, clientId, poolId, username: 'dan', password: `Wrong-${i}!` }), 'NotAuthorizedException', INCORRECT);
    }
    await expectError(srpSignIn({ idp, url, clientId, poolId, username: 'dan', password: PASSWORD }),
      'NotAuthorizedException', 'Password attempts exceeded');
    // the lock is timed: once it has run out (emulator time) the right password works and resets the count
    await setClock(url, { advance: 15 * 60 });
    assertTokens(await srpSignIn({ idp, url, clientId, poolId, username: 'dan', password: PASSWORD }));
    await expectError(srpSignIn({ idp, url, clientId, poolId, username: 'dan', password: 'Wrong-again1!' }), 'NotAuthorizedException', INCORRECT);
    assertTokens(await srpSignIn({ idp, url, clientId, poolId, username: 'dan', password: PASSWORD }));
  });

  test('a SECRET_BLOCK / session is single use', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t);
    await createConfirmedUser(idp, poolId, 'eve');
    const s = await srpStart({ idp, clientId, username: 'eve' });
    assertTokens(await srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD }));
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD }), 'NotAuthorizedException', SESSION_USED);
  });

  test('TIMESTAMP: 10 minutes off the emulator clock is refused; a zero-padded day is accepted', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t);
    await createConfirmedUser(idp, poolId, 'fay');
    // a day of month below 10, so padding matters: 2024-03-05 09:07:01 UTC
    const march5 = Date.UTC(2024, 2, 5, 9, 7, 1) / 1000;
    await setClock(url, { set: march5 });
    await setClock(url, { freeze: true });
    const now = await emulatorNow(url);
    assert.equal(now, march5);
    for (const off of [600, -600]) {
      const s = await srpStart({ idp, clientId, username: 'fay' });
      await expectError(srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD, timestamp: srpTimestamp(now + off) }),
        'NotAuthorizedException', INCORRECT, 400);
    }
    const padded = srpTimestamp(now, { padDay: true });
    assert.equal(padded, 'Tue Mar 05 09:07:01 UTC 2024');
    let s = await srpStart({ idp, clientId, username: 'fay' });
    assertTokens(await srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD, timestamp: padded }));
    s = await srpStart({ idp, clientId, username: 'fay' });
    assertTokens(await srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD, timestamp: 'Tue Mar 5 09:07:01 UTC 2024' }));
    // a signature over a different TIMESTAMP than the one sent is refused
    s = await srpStart({ idp, clientId, username: 'fay' });
    const responses = verifierResponses({ poolName: srpPoolName(poolId), params: s.ch.ChallengeParameters, password: PASSWORD, a: s.eph.a, timestamp: padded });
    await expectError(idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId, Session: s.ch.Session,
      ChallengeResponses: { ...responses, TIMESTAMP: 'Tue Mar 5 09:07:02 UTC 2024' },
    })), 'NotAuthorizedException', INCORRECT);
  });

  test('the session expires after 3 minutes of emulator time', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t);
    await createConfirmedUser(idp, poolId, 'gus');
    await setClock(url, { freeze: true });
    const fresh = await srpStart({ idp, clientId, username: 'gus' });
    const stale = await srpStart({ idp, clientId, username: 'gus' });
    await setClock(url, { advance: 170 });
    assertTokens(await srpAnswer({ idp, url, clientId, poolId, ...fresh, password: PASSWORD }));
    await setClock(url, { advance: 11 });
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...stale, password: PASSWORD }), 'NotAuthorizedException', SESSION_EXPIRED);
  });

  test('a session dies with a password change and with the user deleted and re-created under the same name', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t);
    await createConfirmedUser(idp, poolId, 'hal');
    // two sessions started before the change: a proof with the old password (right for the salt the
    // session handed out) and one with the new password are both refused as an invalid session
    const before1 = await srpStart({ idp, clientId, username: 'hal' });
    const before2 = await srpStart({ idp, clientId, username: 'hal' });
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'hal', Password: OTHER_PASSWORD, Permanent: true }));
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...before1, password: PASSWORD }), 'NotAuthorizedException', SESSION_INVALID);
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...before2, password: OTHER_PASSWORD }), 'NotAuthorizedException', SESSION_INVALID);
    assertTokens(await srpSignIn({ idp, url, clientId, poolId, username: 'hal', password: OTHER_PASSWORD }));

    // started before the user was deleted and re-created with the same name and password
    const s = await srpStart({ idp, clientId, username: 'hal' });
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'hal' }));
    await createConfirmedUser(idp, poolId, 'hal', OTHER_PASSWORD);
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...s, password: OTHER_PASSWORD }), 'NotAuthorizedException', SESSION_INVALID);
    assertTokens(await srpSignIn({ idp, url, clientId, poolId, username: 'hal', password: OTHER_PASSWORD }));
  });

  test('unknown user: LEGACY → UserNotFoundException at InitiateAuth; ENABLED → a stable fake PASSWORD_VERIFIER, then "Incorrect username or password."', async (t) => {
    const { idp, url, poolId } = await setup(t);
    await createConfirmedUser(idp, poolId, 'ida');
    const legacy = await createClient(idp, poolId, { ExplicitAuthFlows: SRP_FLOWS, PreventUserExistenceErrors: 'LEGACY' });
    const hiding = await createClient(idp, poolId, { ExplicitAuthFlows: SRP_FLOWS, PreventUserExistenceErrors: 'ENABLED' });
    await expectError(srpStart({ idp, clientId: legacy.ClientId, username: 'ghost' }), 'UserNotFoundException', 'User does not exist.');
    await expectError(srpStart({ idp, clientId: legacy.ClientId, poolId, admin: true, username: 'ghost' }), 'UserNotFoundException', 'User does not exist.');

    const clientId = hiding.ClientId;
    const one = await srpStart({ idp, clientId, username: 'ghost' });
    const two = await srpStart({ idp, clientId, username: 'ghost' });
    const other = await srpStart({ idp, clientId, username: 'phantom' });
    const real = await srpStart({ idp, clientId, username: 'ida' });
    for (const s of [one, two, other]) {
      assert.equal(s.ch.ChallengeName, 'PASSWORD_VERIFIER');
      assert.deepEqual(Object.keys(s.ch.ChallengeParameters).sort(), Object.keys(real.ch.ChallengeParameters).sort(),
        'the same parameters as for a real user');
      assert.match(s.ch.ChallengeParameters.SALT, /^[0-9a-f]+$/);
      assert.match(s.ch.ChallengeParameters.SRP_B, /^[0-9a-f]+$/);
      assert.ok(s.ch.Session);
    }
    assert.equal(one.ch.ChallengeParameters.SALT, two.ch.ChallengeParameters.SALT, 'the same salt for the same name');
    assert.equal(one.ch.ChallengeParameters.USER_ID_FOR_SRP, two.ch.ChallengeParameters.USER_ID_FOR_SRP);
    assert.notEqual(one.ch.ChallengeParameters.SALT, other.ch.ChallengeParameters.SALT, 'another name, another salt');
    assert.notEqual(one.ch.ChallengeParameters.USER_ID_FOR_SRP, other.ch.ChallengeParameters.USER_ID_FOR_SRP);
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...one, password: PASSWORD }), 'NotAuthorizedException', INCORRECT);
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...other, password: PASSWORD }), 'NotAuthorizedException', INCORRECT);
    assertTokens(await srpAnswer({ idp, url, clientId, poolId, ...real, password: PASSWORD }));
  });

  test('a FORCE_CHANGE_PASSWORD user gets NEW_PASSWORD_REQUIRED after the proof', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t);
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'jo', TemporaryPassword: 'Temp0rary!', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'jo@example.com' }],
    }));
    await expectError(srpSignIn({ idp, url, clientId, poolId, username: 'jo', password: 'Not-the-temp1!' }), 'NotAuthorizedException', INCORRECT);
    const ch = await srpSignIn({ idp, url, clientId, poolId, username: 'jo', password: 'Temp0rary!' });
    assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(ch.AuthenticationResult, undefined);
    assert.equal(ch.ChallengeParameters.USER_ID_FOR_SRP, 'jo');
    assert.deepEqual(JSON.parse(ch.ChallengeParameters.userAttributes), { email: 'jo@example.com' });
    assert.deepEqual(JSON.parse(ch.ChallengeParameters.requiredAttributes), []);
    assertTokens(await idp.send(new RespondToAuthChallengeCommand({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: clientId, Session: ch.Session,
      ChallengeResponses: { USERNAME: 'jo', NEW_PASSWORD: OTHER_PASSWORD },
    })));
    assert.equal((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'jo' }))).UserStatus, 'CONFIRMED');
    assertTokens(await srpSignIn({ idp, url, clientId, poolId, username: 'jo', password: OTHER_PASSWORD }));
  });

  test('email-as-username pool: USER_ID_FOR_SRP is the sub and the proof is computed with it', async (t) => {
    const { idp, url, poolId, clientId } = await setup(t, { UsernameAttributes: ['email'] });
    const { Username: sub } = await createConfirmedUser(idp, poolId, 'kai@example.com', PASSWORD, [{ Name: 'email', Value: 'kai@example.com' }]);
    assert.match(sub, UUID_V4_RE);
    const s = await srpStart({ idp, clientId, username: 'kai@example.com' });
    assert.equal(s.ch.ChallengeParameters.USER_ID_FOR_SRP, sub);
    assert.equal(s.ch.ChallengeParameters.USERNAME, sub);
    // a proof built with the e-mail instead of the sub is wrong
    await expectError(srpAnswer({ idp, url, clientId, poolId, ...s, password: PASSWORD, userId: 'kai@example.com' }), 'NotAuthorizedException', INCORRECT);
    const r = assertTokens(await srpSignIn({ idp, url, clientId, poolId, username: 'kai@example.com', password: PASSWORD }));
    assert.equal(decodeJwt(r.IdToken).payload.sub, sub);
    assert.equal(decodeJwt(r.IdToken).payload.email, 'kai@example.com');
  });
});
