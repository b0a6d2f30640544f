// Amplify v6 MFA against the emulator, at Amplify's defaults (SRP sign-in): TOTP set up by a
// signed-in user, SMS and e-mail codes from the outbox, MFA set up during sign-in (TOTP and
// e-mail), SELECT_MFA_TYPE, and a pool with MFA required. TOTP codes follow the EMULATOR clock.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  signIn, confirmSignIn, signOut, fetchAuthSession, setUpTOTP, verifyTOTPSetup, updateMFAPreference,
  fetchMFAPreference,
} from 'aws-amplify/auth';
import {
  SetUserPoolMfaConfigCommand, AdminSetUserMFAPreferenceCommand, AdminGetUserCommand,
  RespondToAuthChallengeCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createPool, createClient, createConfirmedUser, decodeJwt, readMessages, attrMap, getClock, PASSWORD,
} from './support/idp.mjs';
import { amplifySuite, configureAmplify, resetAmplify, requestHistory } from './support/amplify.mjs';
import { emulatorTotp, totp } from './support/totp.mjs';

const SRP_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
const EMAIL_CONFIG = {
  EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com',
};
const SMS_TEXT = 'Amplify e2e sign-in code: {####}';
const EMAIL_MFA = { Subject: 'Your sign-in code', Message: 'Use {####} to sign in.' };

const s = amplifySuite({ before, after });
afterEach(resetAmplify);

/**
 * A pool with the given MFA mode and factors (set with SetUserPoolMfaConfig) and an SRP client;
 * Amplify is pointed at it.
 */
async function mfaPool({ mode = 'OPTIONAL', totp = false, sms = false, email = false } = {}) {
  const pool = await createPool(s.idp, {
    ...(sms ? { SmsConfiguration: SMS_CONFIG } : {}),
    ...(email ? { EmailConfiguration: EMAIL_CONFIG } : {}),
  });
  await s.idp.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: pool.Id,
    MfaConfiguration: mode,
    ...(totp ? { SoftwareTokenMfaConfiguration: { Enabled: true } } : {}),
    ...(sms ? { SmsMfaConfiguration: { SmsAuthenticationMessage: SMS_TEXT, SmsConfiguration: SMS_CONFIG } } : {}),
    ...(email ? { EmailMfaConfiguration: EMAIL_MFA } : {}),
  }));
  const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: SRP_FLOWS });
  const storage = configureAmplify(s.url, pool.Id, client.ClientId);
  return { poolId: pool.Id, clientId: client.ClientId, storage };
}

/** A 6-digit code that is none of the codes the emulator would accept around now. */
async function wrongTotp(secret) {
  const { now } = await getClock(s.url);
  const near = new Set([-2, -1, 0, 1, 2, 3].map((k) => totp(secret, now + 30 * k)));
  for (let n = 123456; ; n = (n + 111111) % 1_000_000) {
    const c = String(n).padStart(6, '0');
    if (!near.has(c)) return c;
  }
}

/** confirmSignIn must fail; returns the error. */
async function confirmError(challengeResponse) {
  let result;
  try {
    result = await confirmSignIn({ challengeResponse });
  } catch (e) {
    return e;
  }
  assert.fail(`confirmSignIn succeeded unexpectedly: ${JSON.stringify(result)}`);
}

/** The outbox messages of a user with a reason, newest last. */
async function sent(poolId, username, reason) {
  return (await readMessages(s.url, poolId, username)).filter((m) => m.reason === reason);
}

const adminGetUser = (poolId, username) => s.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

async function accessClaims() {
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.accessToken, 'Amplify holds an access token');
  return decodeJwt(tokens.accessToken.toString()).payload;
}

describe('Amplify v6 MFA', { concurrency: false }, () => {
  test('TOTP: setUpTOTP → verifyTOTPSetup → updateMFAPreference; the next signIn asks for the code; a wrong code then the right one', async () => {
    const { poolId, clientId } = await mfaPool({ totp: true });
    await createConfirmedUser(s.idp, poolId, 'amp-totp');
    assert.deepEqual(await signIn({ username: 'amp-totp', password: PASSWORD }),
      { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, 'no factor yet: no MFA in an OPTIONAL pool');

    const details = await setUpTOTP();
    const secret = details.sharedSecret;
    assert.match(secret, /^[A-Z2-7]{52}$/, 'a 52-character base32 secret');
    const uri = details.getSetupUri('AmpE2E').toString();
    assert.ok(uri.startsWith('otpauth://totp/AmpE2E:') && uri.includes(`secret=${secret}`), uri);

    // A wrong code does not verify the token (and preferences can't use it yet).
    await assert.rejects(verifyTOTPSetup({ code: await wrongTotp(secret) }), (e) => {
      assert.equal(e.name, 'EnableSoftwareTokenMFAException');
      assert.equal(e.message, 'Code mismatch and fail enable Software Token MFA');
      return true;
    });
    await assert.rejects(updateMFAPreference({ totp: 'PREFERRED' }), (e) => {
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(e.message, 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA');
      return true;
    });

    await verifyTOTPSetup({ code: await emulatorTotp(s.url, secret) });
    // Verified but not enabled yet in an OPTIONAL pool.
    assert.deepEqual(await fetchMFAPreference(), { preferred: undefined, enabled: undefined });
    await updateMFAPreference({ totp: 'PREFERRED' });
    assert.deepEqual(await fetchMFAPreference(), { preferred: 'TOTP', enabled: ['TOTP'] });

    await signOut();
    const step = await signIn({ username: 'amp-totp', password: PASSWORD });
    assert.deepEqual(step, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const mismatch = await confirmError(await wrongTotp(secret));
    assert.equal(mismatch.name, 'CodeMismatchException');
    assert.equal(mismatch.message, 'Invalid code or auth state for the user.');
    // Same sign-in (Amplify keeps its session after the error): the right code now signs in.
    // The current step's code was used by verifyTOTPSetup: answer with the next step's.
    const done = await confirmSignIn({ challengeResponse: await emulatorTotp(s.url, secret, 1) });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await accessClaims()).username, 'amp-totp');

    const calls = (await requestHistory(s.url, 'RespondToAuthChallenge'))
      .filter((r) => r.input.ClientId === clientId && r.input.ChallengeName === 'SOFTWARE_TOKEN_MFA');
    assert.deepEqual(calls.map((r) => r.status), [200, 400], 'newest first: the wrong answer, then the right one');
    assert.equal(calls[1].error, 'CodeMismatchException');
  });

  test('SMS MFA: CONFIRM_SIGN_IN_WITH_SMS_CODE with masked delivery details; the code and text from the outbox', async () => {
    const { poolId } = await mfaPool({ sms: true });
    await createConfirmedUser(s.idp, poolId, 'amp-sms', PASSWORD, [{ Name: 'phone_number', Value: '+15555551234' }]);
    await s.idp.send(new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId, Username: 'amp-sms', SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }));

    const step = await signIn({ username: 'amp-sms', password: PASSWORD });
    assert.equal(step.isSignedIn, false);
    assert.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    assert.equal(step.nextStep.codeDeliveryDetails.deliveryMedium, 'SMS');
    assert.match(step.nextStep.codeDeliveryDetails.destination, /^\+\*+1234$/);

    const msgs = await sent(poolId, 'amp-sms', 'MFA');
    assert.equal(msgs.length, 1);
    const [msg] = msgs;
    assert.equal(msg.deliveryMedium, 'SMS');
    assert.equal(msg.destination, '+15555551234');
    assert.match(msg.code, /^\d{6}$/);
    assert.equal(msg.message, SMS_TEXT.replace('{####}', msg.code), "the pool's SmsAuthenticationMessage");

    const done = await confirmSignIn({ challengeResponse: msg.code });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await accessClaims()).username, 'amp-sms');
  });

  test('e-mail MFA: CONFIRM_SIGN_IN_WITH_EMAIL_CODE; the 8-digit code from the outbox signs in', async () => {
    const { poolId } = await mfaPool({ email: true });
    await createConfirmedUser(s.idp, poolId, 'amp-mail', PASSWORD, [
      { Name: 'email', Value: 'amp-mail@example.com' }, { Name: 'email_verified', Value: 'true' },
    ]);
    await s.idp.send(new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId, Username: 'amp-mail', EmailMfaSettings: { Enabled: true, PreferredMfa: true },
    }));

    const step = await signIn({ username: 'amp-mail', password: PASSWORD });
    assert.equal(step.isSignedIn, false);
    assert.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(step.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    const dest = step.nextStep.codeDeliveryDetails.destination;
    assert.match(dest, /^a\*+@e\*+/, `masked address, got ${dest}`);

    const msgs = await sent(poolId, 'amp-mail', 'MFA');
    assert.equal(msgs.length, 1);
    const [msg] = msgs;
    assert.equal(msg.deliveryMedium, 'EMAIL');
    assert.equal(msg.destination, 'amp-mail@example.com');
    assert.match(msg.code, /^\d{8}$/);
    assert.equal(msg.subject, EMAIL_MFA.Subject);
    assert.equal(msg.message, EMAIL_MFA.Message.replace('{####}', msg.code));

    const done = await confirmSignIn({ challengeResponse: msg.code });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await accessClaims()).username, 'amp-mail');
  });

  test('MFA required, TOTP only: CONTINUE_SIGN_IN_WITH_TOTP_SETUP → confirmSignIn(code) → DONE; the next sign-in asks for the TOTP code', async () => {
    const { poolId } = await mfaPool({ mode: 'ON', totp: true });
    await createConfirmedUser(s.idp, poolId, 'amp-setup');

    const step = await signIn({ username: 'amp-setup', password: PASSWORD });
    assert.equal(step.isSignedIn, false);
    assert.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = step.nextStep.totpSetupDetails.sharedSecret;
    assert.match(secret, /^[A-Z2-7]{52}$/);
    const [assoc] = await requestHistory(s.url, 'AssociateSoftwareToken');
    assert.equal(assoc.status, 200, 'Amplify associated the token with the sign-in session');

    const done = await confirmSignIn({ challengeResponse: await emulatorTotp(s.url, secret) });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await accessClaims()).username, 'amp-setup');
    const [verify] = await requestHistory(s.url, 'VerifySoftwareToken');
    assert.equal(verify.status, 200);
    assert.equal(verify.output.Status, 'SUCCESS');
    const u = await adminGetUser(poolId, 'amp-setup');
    assert.deepEqual(u.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(u.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

    await signOut();
    const again = await signIn({ username: 'amp-setup', password: PASSWORD });
    assert.deepEqual(again, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const final = await confirmSignIn({ challengeResponse: await emulatorTotp(s.url, secret, 1) });
    assert.deepEqual(final, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  test('MFA required, TOTP and e-mail: setup selection → EMAIL → address → code → DONE; the user has a verified e-mail and EMAIL_OTP', async () => {
    const { poolId } = await mfaPool({ mode: 'ON', totp: true, email: true });
    await createConfirmedUser(s.idp, poolId, 'amp-choose'); // no e-mail, no phone, no token

    const step = await signIn({ username: 'amp-choose', password: PASSWORD });
    assert.equal(step.isSignedIn, false);
    assert.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    assert.deepEqual([...step.nextStep.allowedMFATypes].sort(), ['EMAIL', 'TOTP']);
    const [init] = await requestHistory(s.url, 'RespondToAuthChallenge');
    assert.equal(init.output.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(init.output.ChallengeParameters.MFAS_CAN_SETUP).sort(), ['EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']);

    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.deepEqual(chosen, { isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' } });

    const sentStep = await confirmSignIn({ challengeResponse: 'someone@example.com' });
    assert.equal(sentStep.isSignedIn, false);
    assert.equal(sentStep.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(sentStep.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');

    const msgs = await sent(poolId, 'amp-choose', 'MFA');
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].destination, 'someone@example.com');
    assert.equal(msgs[0].deliveryMedium, 'EMAIL');
    assert.match(msgs[0].code, /^\d{8}$/);

    const done = await confirmSignIn({ challengeResponse: msgs[0].code });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await accessClaims()).username, 'amp-choose');

    const u = await adminGetUser(poolId, 'amp-choose');
    const attrs = attrMap(u.UserAttributes);
    assert.equal(attrs.email, 'someone@example.com');
    assert.equal(attrs.email_verified, 'true');
    assert.deepEqual(u.UserMFASettingList, ['EMAIL_OTP']);

    // From now on the e-mail code is the user's second factor.
    await signOut();
    const again = await signIn({ username: 'amp-choose', password: PASSWORD });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const code = (await sent(poolId, 'amp-choose', 'MFA')).at(-1).code;
    assert.deepEqual(await confirmSignIn({ challengeResponse: code }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  test('SELECT_MFA_TYPE: SMS and TOTP enabled, none preferred → CONTINUE_SIGN_IN_WITH_MFA_SELECTION → TOTP → code → DONE', async () => {
    const { poolId } = await mfaPool({ totp: true, sms: true });
    await createConfirmedUser(s.idp, poolId, 'amp-select', PASSWORD, [{ Name: 'phone_number', Value: '+15555550123' }]);
    assert.equal((await signIn({ username: 'amp-select', password: PASSWORD })).isSignedIn, true);
    const { sharedSecret: secret } = await setUpTOTP();
    await verifyTOTPSetup({ code: await emulatorTotp(s.url, secret) });
    await updateMFAPreference({ sms: 'ENABLED', totp: 'ENABLED' });
    const pref = await fetchMFAPreference();
    assert.equal(pref.preferred, undefined);
    assert.deepEqual([...pref.enabled].sort(), ['SMS', 'TOTP']);
    await signOut();

    const step = await signIn({ username: 'amp-select', password: PASSWORD });
    assert.equal(step.isSignedIn, false);
    assert.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
    assert.deepEqual([...step.nextStep.allowedMFATypes].sort(), ['SMS', 'TOTP']);

    const totpStep = await confirmSignIn({ challengeResponse: 'TOTP' });
    assert.deepEqual(totpStep, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const done = await confirmSignIn({ challengeResponse: await emulatorTotp(s.url, secret, 1) });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await accessClaims()).username, 'amp-select');
    assert.equal((await sent(poolId, 'amp-select', 'MFA')).length, 0, 'choosing TOTP sends no SMS');
  });

  test('a pool that requires MFA issues no tokens without the second factor', async () => {
    const pool = await createPool(s.idp, { SmsConfiguration: SMS_CONFIG, MfaConfiguration: 'ON' });
    await s.idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.Id, MfaConfiguration: 'ON',
      SmsMfaConfiguration: { SmsAuthenticationMessage: SMS_TEXT, SmsConfiguration: SMS_CONFIG },
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
    const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: SRP_FLOWS });
    const storage = configureAmplify(s.url, pool.Id, client.ClientId);
    await createConfirmedUser(s.idp, pool.Id, 'amp-on-phone', PASSWORD, [{ Name: 'phone_number', Value: '+15555550199' }]);
    await createConfirmedUser(s.idp, pool.Id, 'amp-on-bare');

    // A user with a phone number and nothing enabled: SMS_MFA all the same.
    const phone = await signIn({ username: 'amp-on-phone', password: PASSWORD });
    assert.equal(phone.isSignedIn, false);
    assert.equal(phone.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    const smsCode = (await sent(pool.Id, 'amp-on-phone', 'MFA')).at(-1).code;
    const wrong = await confirmError(smsCode === '000000' ? '111111' : '000000');
    assert.equal(wrong.name, 'CodeMismatchException');

    // A user without any factor: MFA setup (Amplify offers TOTP, the only one it can set up here).
    const bare = await signIn({ username: 'amp-on-bare', password: PASSWORD });
    assert.equal(bare.isSignedIn, false);
    assert.notEqual(bare.nextStep.signInStep, 'DONE');
    assert.equal(bare.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');

    // Skipping the set-up (answering MFA_SETUP without verifying a token) gets no tokens either.
    const init = await s.idp.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.ClientId,
      AuthParameters: { USERNAME: 'amp-on-bare', PASSWORD },
    }));
    assert.equal(init.ChallengeName, 'MFA_SETUP');
    assert.equal(init.AuthenticationResult, undefined);
    await assert.rejects(s.idp.send(new RespondToAuthChallengeCommand({
      ClientId: client.ClientId, ChallengeName: 'MFA_SETUP', Session: init.Session,
      ChallengeResponses: { USERNAME: 'amp-on-bare' },
    })), (e) => { assert.ok(e.$metadata?.httpStatusCode === 400, `${e.name}: ${e.message}`); return true; });

    assert.equal(storage.find('.accessToken'), null, 'Amplify stored no tokens');
    const { tokens } = await fetchAuthSession();
    assert.equal(tokens, undefined);
    for (const op of ['InitiateAuth', 'RespondToAuthChallenge']) {
      for (const r of await requestHistory(s.url, op)) {
        if (r.input.ClientId !== client.ClientId) continue;
        assert.equal(r.output?.AuthenticationResult, undefined, `${op} issued tokens: ${JSON.stringify(r.output)}`);
      }
    }
  });
});
