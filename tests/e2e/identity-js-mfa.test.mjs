// amazon-cognito-identity-js 6.3.21 at its default settings (USER_SRP_AUTH) against the emulator:
// the SRP sign-in in an email-as-username pool, TOTP set up with associateSoftwareToken /
// verifySoftwareToken / setUserMfaPreference and answered through totpRequired → sendMFACode,
// MFA_SETUP through the mfaSetup callback, and SMS MFA through mfaRequired with the outbox code.
// TOTP codes are computed from the EMULATOR clock (frozen for the test, so the 30-s step is known).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SetUserPoolMfaConfigCommand, AdminGetUserCommand, AdminSetUserMFAPreferenceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, readMessages, decodeJwt, closeConnectionsInGlobalFetch,
  setClock, PASSWORD, UUID_V4_RE,
} from './support/idp.mjs';
import {
  libraryPool, libraryUser, authenticate, sendMFACode, withTimeout, nodeCallback, rejection, assertLibraryError,
  requestLog,
} from './support/identity-js.mjs';
import { totp, base32Decode, hotp, freezeClock } from './support/totp.mjs';

const SRP_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
const CODE_MISMATCH = 'Invalid code or auth state for the user.';

let restoreFetch;
before(() => { restoreFetch = closeConnectionsInGlobalFetch(); });
after(() => restoreFetch?.());

/** Emulator + pool (+ TOTP when asked) + SRP-only client + the library's pool object. */
async function setup(t, { poolInput = {}, totpMode } = {}) {
  const { idp, url } = await emulatorFor(t);
  const { poolId, clientId } = await createPoolAndClient(idp, poolInput, { ExplicitAuthFlows: SRP_FLOWS });
  if (totpMode) {
    await idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId, MfaConfiguration: totpMode, SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
  }
  const { pool, storage } = libraryPool(url, poolId, clientId);
  return { idp, url, poolId, clientId, pool, storage };
}

/** A 6-digit code that is none of the given ones. */
function otherCode(...codes) {
  for (let i = 0; ; i++) {
    const c = String((Number(codes[0]) + 1 + i * 7919) % 1_000_000).padStart(6, '0');
    if (!codes.includes(c)) return c;
  }
}

describe('amazon-cognito-identity-js: SRP and MFA', { timeout: 120_000 }, () => {
  test('the TOTP helper matches RFC 6238 (SHA-1 test vectors) and RFC 4648 base32', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
    assert.equal(base32Decode(secret).toString('ascii'), '12345678901234567890');
    assert.equal(hotp(base32Decode(secret), 0), '755224'); // RFC 4226 appendix D
    assert.equal(hotp(base32Decode(secret), 9), '520489');
    assert.equal(totp(secret, 59, { digits: 8 }), '94287082');
    assert.equal(totp(secret, 1111111109, { digits: 8 }), '07081804');
    assert.equal(totp(secret, 1234567890, { digits: 8 }), '89005924');
    assert.equal(totp(secret, 20000000000, { digits: 8 }), '65353130');
    assert.equal(totp(secret, 59), '287082');
  });

  test('default flow USER_SRP_AUTH in an email-as-username pool: the library switches to USER_ID_FOR_SRP (the sub)', async (t) => {
    const { idp, url, poolId, clientId, pool, storage } = await setup(t, { poolInput: { UsernameAttributes: ['email'] } });
    const created = await createConfirmedUser(idp, poolId, 'ivy@example.com', PASSWORD, [{ Name: 'email', Value: 'ivy@example.com' }]);
    const sub = created.Username;
    assert.match(sub, UUID_V4_RE, 'an email-as-username pool names the user by its sub');

    const user = libraryUser(pool, 'ivy@example.com');
    assert.equal(user.getAuthenticationFlowType(), 'USER_SRP_AUTH', 'the default flow');
    const r = await authenticate(user, 'ivy@example.com', PASSWORD);
    assert.equal(r.kind, 'success');
    assert.equal(r.session.isValid(), true);
    const id = decodeJwt(r.session.getIdToken().getJwtToken()).payload;
    const access = decodeJwt(r.session.getAccessToken().getJwtToken()).payload;
    assert.equal(id.sub, sub);
    assert.equal(id['cognito:username'], sub);
    assert.equal(id.email, 'ivy@example.com');
    assert.equal(access.username, sub);
    assert.equal(access.client_id, clientId);
    // the library took USER_ID_FOR_SRP as the user's name and keys its storage with it
    assert.equal(user.getUsername(), sub);
    assert.equal(storage.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`), sub);
    assert.equal(storage.getItem(`CognitoIdentityServiceProvider.${clientId}.${sub}.accessToken`),
      r.session.getAccessToken().getJwtToken());

    // on the wire: InitiateAuth USER_SRP_AUTH with the e-mail and SRP_A, then PASSWORD_VERIFIER answered as the sub
    const [init] = await requestLog(url, 'InitiateAuth');
    assert.equal(init.input.AuthFlow, 'USER_SRP_AUTH');
    assert.equal(init.input.AuthParameters.USERNAME, 'ivy@example.com');
    assert.ok(init.input.AuthParameters.SRP_A, 'SRP_A sent (the log masks it)');
    assert.equal(init.output.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(init.output.ChallengeParameters.USER_ID_FOR_SRP, sub);
    const responds = await requestLog(url, 'RespondToAuthChallenge');
    assert.deepEqual(responds.map((q) => [q.input.ChallengeName, q.status]), [['PASSWORD_VERIFIER', 200]]);
    assert.equal(responds[0].input.ChallengeResponses.USERNAME, sub);

    // a wrong password through the same flow
    const err = await rejection(authenticate(libraryUser(pool, 'ivy@example.com'), 'ivy@example.com', 'Wrong-pass1!'));
    assertLibraryError(err, 'NotAuthorizedException', 'Incorrect username or password.');
  });

  test('TOTP: associateSoftwareToken → verifySoftwareToken → setUserMfaPreference, then totpRequired → sendMFACode', async (t) => {
    const { idp, url, poolId, clientId, pool } = await setup(t, { totpMode: 'OPTIONAL' });
    await createConfirmedUser(idp, poolId, 'tess');
    const user = libraryUser(pool, 'tess');
    const first = await authenticate(user, 'tess', PASSWORD);
    assert.equal(first.kind, 'success', 'no MFA before a factor is enabled');

    const secret = await withTimeout('associateSoftwareToken', (resolve, reject) =>
      user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    assert.match(secret, /^[A-Z2-7]{52}$/, 'a 52-character base32 secret');
    assert.equal(base32Decode(secret).length, 32);

    const t0 = await freezeClock(url);
    const codeNow = totp(secret, t0);
    const codeNext = totp(secret, t0 + 30);
    const wrong = otherCode(totp(secret, t0 - 30), codeNow, codeNext);

    const bad = await rejection(withTimeout('verifySoftwareToken', (resolve, reject) =>
      user.verifySoftwareToken(wrong, 'my phone', { onSuccess: resolve, onFailure: reject })));
    assertLibraryError(bad, 'EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
    const verified = await withTimeout('verifySoftwareToken', (resolve, reject) =>
      user.verifySoftwareToken(codeNow, 'my phone', { onSuccess: resolve, onFailure: reject }));
    assert.equal(verified.Status, 'SUCCESS');
    // verified but not yet enabled in an OPTIONAL pool: still no MFA
    let u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tess' }));
    assert.equal(u.UserMFASettingList, undefined, `nothing enabled yet: ${JSON.stringify(u.UserMFASettingList)}`);

    const pref = await nodeCallback('setUserMfaPreference', (cb) =>
      user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, cb));
    assert.equal(pref, 'SUCCESS');
    u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tess' }));
    assert.deepEqual(u.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(u.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

    // a new sign-in stops at SOFTWARE_TOKEN_MFA
    const again = libraryUser(pool, 'tess');
    const ch = await authenticate(again, 'tess', PASSWORD);
    assert.equal(ch.kind, 'totpRequired');
    assert.equal(ch.challengeName, 'SOFTWARE_TOKEN_MFA');
    // the step's code was spent by VerifySoftwareToken; a wrong code too is refused, the session stays usable
    assertLibraryError(await rejection(sendMFACode(again, codeNow, 'SOFTWARE_TOKEN_MFA')), 'CodeMismatchException', CODE_MISMATCH);
    assertLibraryError(await rejection(sendMFACode(again, wrong, 'SOFTWARE_TOKEN_MFA')), 'CodeMismatchException', CODE_MISMATCH);
    const done = await sendMFACode(again, codeNext, 'SOFTWARE_TOKEN_MFA');
    assert.equal(done.kind, 'success');
    assert.equal(done.session.isValid(), true);
    assert.equal(decodeJwt(done.session.getAccessToken().getJwtToken()).payload.username, 'tess');
    assert.equal(again.getSignInUserSession(), done.session);

    // the wire: the library answered SOFTWARE_TOKEN_MFA with SOFTWARE_TOKEN_MFA_CODE and USERNAME
    const answers = (await requestLog(url, 'RespondToAuthChallenge')).filter((q) => q.input.ChallengeName === 'SOFTWARE_TOKEN_MFA');
    assert.deepEqual(answers.map((q) => q.status), [400, 400, 200]);
    assert.equal(answers[2].input.ChallengeResponses.USERNAME, 'tess');
    assert.ok('SOFTWARE_TOKEN_MFA_CODE' in answers[2].input.ChallengeResponses);

    // that step's code is now spent for sign-in as well; the next step's works after the clock moves
    const third = libraryUser(pool, 'tess');
    assert.equal((await authenticate(third, 'tess', PASSWORD)).kind, 'totpRequired');
    assertLibraryError(await rejection(sendMFACode(third, codeNext, 'SOFTWARE_TOKEN_MFA')), 'CodeMismatchException', CODE_MISMATCH);
    await setClock(url, { advance: 60 });
    assert.equal((await sendMFACode(third, totp(secret, t0 + 60), 'SOFTWARE_TOKEN_MFA')).kind, 'success');
    assert.equal(clientId, decodeJwt(third.getSignInUserSession().getIdToken().getJwtToken()).payload.aud);
  });

  test('MFA_SETUP in an MFA-required TOTP pool: mfaSetup → associateSoftwareToken(Session) → verifySoftwareToken → tokens', async (t) => {
    const { idp, url, poolId, pool } = await setup(t, { totpMode: 'ON' });
    await createConfirmedUser(idp, poolId, 'uma');
    const user = libraryUser(pool, 'uma');
    const ch = await authenticate(user, 'uma', PASSWORD);
    assert.equal(ch.kind, 'mfaSetup');
    assert.equal(ch.challengeName, 'MFA_SETUP');
    assert.equal(ch.challengeParameters.MFAS_CAN_SETUP, '["SOFTWARE_TOKEN_MFA"]');

    const secret = await withTimeout('associateSoftwareToken', (resolve, reject) =>
      user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    assert.match(secret, /^[A-Z2-7]{52}$/);
    const t0 = await freezeClock(url);
    const session = await withTimeout('verifySoftwareToken', (resolve, reject) =>
      user.verifySoftwareToken(totp(secret, t0), 'my phone', { onSuccess: resolve, onFailure: reject }));
    assert.equal(session.isValid(), true, 'VerifySoftwareToken + RespondToAuthChallenge MFA_SETUP → tokens');
    assert.equal(session.getAccessToken().payload.username, 'uma');
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'uma' }));
    assert.deepEqual(u.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(u.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    const steps = (await requestLog(url, 'RespondToAuthChallenge')).map((q) => [q.input.ChallengeName, q.status]);
    assert.deepEqual(steps, [['PASSWORD_VERIFIER', 200], ['MFA_SETUP', 200]]);

    const next = libraryUser(pool, 'uma');
    assert.equal((await authenticate(next, 'uma', PASSWORD)).kind, 'totpRequired');
    assert.equal((await sendMFACode(next, totp(secret, t0 + 30), 'SOFTWARE_TOKEN_MFA')).kind, 'success');
  });

  test('SMS MFA: mfaRequired with the masked destination, a wrong code → CodeMismatchException, the outbox code succeeds', async (t) => {
    const { idp, url, poolId, pool } = await setup(t, {
      poolInput: { SmsConfiguration: SMS_CONFIG, MfaConfiguration: 'OPTIONAL' },
    });
    await createConfirmedUser(idp, poolId, 'sam', PASSWORD, [
      { Name: 'phone_number', Value: '+15555551234' }, { Name: 'phone_number_verified', Value: 'true' },
    ]);
    // enable SMS MFA through the library (SetUserMFAPreference with the access token)
    const user = libraryUser(pool, 'sam');
    assert.equal((await authenticate(user, 'sam', PASSWORD)).kind, 'success');
    assert.equal(await nodeCallback('setUserMfaPreference', (cb) =>
      user.setUserMfaPreference({ PreferredMfa: true, Enabled: true }, null, cb)), 'SUCCESS');
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    assert.deepEqual(u.UserMFASettingList, ['SMS_MFA']);
    assert.equal(u.PreferredMfaSetting, 'SMS_MFA');

    const before = (await readMessages(url, poolId, 'sam')).length;
    const again = libraryUser(pool, 'sam');
    const ch = await authenticate(again, 'sam', PASSWORD);
    assert.equal(ch.kind, 'mfaRequired');
    assert.equal(ch.challengeName, 'SMS_MFA');
    assert.deepEqual(ch.challengeParameters, {
      CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234',
    });
    const msgs = (await readMessages(url, poolId, 'sam')).slice(before);
    assert.equal(msgs.length, 1, `one SMS for the challenge: ${JSON.stringify(msgs)}`);
    const [sms] = msgs;
    assert.equal(sms.deliveryMedium, 'SMS');
    assert.equal(sms.destination, '+15555551234');
    assert.equal(sms.reason, 'MFA');
    assert.match(sms.code, /^\d{6}$/);

    const wrong = await rejection(sendMFACode(again, otherCode(sms.code)));
    assertLibraryError(wrong, 'CodeMismatchException', CODE_MISMATCH);
    const done = await sendMFACode(again, sms.code); // mfaType defaults to SMS_MFA (SMS_MFA_CODE)
    assert.equal(done.kind, 'success');
    assert.equal(done.session.getIdToken().payload['cognito:username'], 'sam');
    assert.equal(done.session.getIdToken().payload.phone_number, '+15555551234');
    const answers = (await requestLog(url, 'RespondToAuthChallenge')).filter((q) => q.input.ChallengeName === 'SMS_MFA');
    assert.deepEqual(answers.map((q) => q.status), [400, 200]);
    assert.equal(answers[1].input.ChallengeResponses.USERNAME, 'sam');

    // switched off again (admin), the next sign-in needs no code
    await idp.send(new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId, Username: 'sam', SMSMfaSettings: { Enabled: false, PreferredMfa: false },
    }));
    assert.equal((await authenticate(libraryUser(pool, 'sam'), 'sam', PASSWORD)).kind, 'success');
  });
});
