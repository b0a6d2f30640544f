// Amplify v6 choice-based sign-in (authFlowType USER_AUTH) against the emulator: e-mail OTP as
// the first factor, first-factor selection (SELECT_CHALLENGE), PASSWORD / PASSWORD_SRP, and MFA
// after a password but not after an OTP.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  signIn, confirmSignIn, signOut, fetchAuthSession, getCurrentUser, setUpTOTP, verifyTOTPSetup,
  updateMFAPreference,
} from 'aws-amplify/auth';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  createPool, createClient, createConfirmedUser, decodeJwt, readMessages, PASSWORD, OTHER_PASSWORD,
} from './support/idp.mjs';
import { amplifySuite, configureAmplify, resetAmplify, requestHistory } from './support/amplify.mjs';
import { emulatorTotp } from './support/totp.mjs';

const EMAIL_CONFIG = {
  EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com',
};
const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };

const s = amplifySuite({ before, after });
afterEach(resetAmplify);

/** A pool allowing PASSWORD and EMAIL_OTP first, TOTP MFA optional; a USER_AUTH client. */
async function userAuthPool() {
  const pool = await createPool(s.idp, {
    EmailConfiguration: EMAIL_CONFIG,
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
  });
  await s.idp.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: pool.Id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
  }));
  const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  configureAmplify(s.url, pool.Id, client.ClientId);
  return { poolId: pool.Id, clientId: client.ClientId };
}

const withEmail = (username, verified = true) => [
  { Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: String(verified) },
];

async function otpMessages(poolId, username) {
  return (await readMessages(s.url, poolId, username)).filter((m) => m.reason === 'OTP');
}

async function accessClaims() {
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.accessToken, 'Amplify holds an access token');
  return decodeJwt(tokens.accessToken.toString()).payload;
}

/** Sign in with EMAIL_OTP preferred and answer the code from the outbox. */
async function emailOtpSignIn(poolId, username) {
  const step = await signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
  assert.equal(step.isSignedIn, false);
  assert.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.equal(step.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  const msgs = await otpMessages(poolId, username);
  assert.ok(msgs.length > 0, 'an OTP e-mail was sent');
  const msg = msgs.at(-1);
  assert.equal(msg.deliveryMedium, 'EMAIL');
  assert.equal(msg.destination, `${username}@example.com`);
  assert.match(msg.code, /^\d{8}$/);
  return { step, code: msg.code, done: await confirmSignIn({ challengeResponse: msg.code }) };
}

describe('Amplify v6 USER_AUTH (choice-based sign-in)', { concurrency: false }, () => {
  test('preferredChallenge EMAIL_OTP: no password, an 8-digit code by e-mail (reason "OTP") signs in', async () => {
    const { poolId } = await userAuthPool();
    await createConfirmedUser(s.idp, poolId, 'amp-otp', PASSWORD, withEmail('amp-otp'));

    const { step, done } = await emailOtpSignIn(poolId, 'amp-otp');
    assert.match(step.nextStep.codeDeliveryDetails.destination, /^a\*+@e\*+/);
    assert.deepEqual(done, DONE);
    assert.equal((await otpMessages(poolId, 'amp-otp')).length, 1);
    assert.equal((await readMessages(s.url, poolId, 'amp-otp')).filter((m) => m.reason === 'MFA').length, 0);

    const [init] = await requestHistory(s.url, 'InitiateAuth');
    assert.equal(init.input.AuthFlow, 'USER_AUTH');
    assert.equal(init.input.AuthParameters.PREFERRED_CHALLENGE, 'EMAIL_OTP');
    assert.equal(init.input.AuthParameters.PASSWORD, undefined);
    assert.equal(init.output.ChallengeName, 'EMAIL_OTP');
    assert.equal((await accessClaims()).username, 'amp-otp');
    assert.deepEqual((await getCurrentUser()).signInDetails, { loginId: 'amp-otp', authFlowType: 'USER_AUTH' });
  });

  test('a wrong e-mail OTP is CodeMismatchException; the right one then signs in', async () => {
    const { poolId } = await userAuthPool();
    await createConfirmedUser(s.idp, poolId, 'amp-otp-bad', PASSWORD, withEmail('amp-otp-bad'));
    const step = await signIn({ username: 'amp-otp-bad', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const { code } = (await otpMessages(poolId, 'amp-otp-bad')).at(-1);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    await assert.rejects(confirmSignIn({ challengeResponse: wrong }), (e) => {
      assert.equal(e.name, 'CodeMismatchException');
      assert.equal(e.message, 'Invalid code or auth state for the user.');
      return true;
    });
    assert.deepEqual(await confirmSignIn({ challengeResponse: code }), DONE);
  });

  test('no preference: CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION → PASSWORD_SRP → CONFIRM_SIGN_IN_WITH_PASSWORD → DONE', async () => {
    const { poolId } = await userAuthPool();
    await createConfirmedUser(s.idp, poolId, 'amp-choose', PASSWORD, withEmail('amp-choose'));

    const step = await signIn({ username: 'amp-choose', options: { authFlowType: 'USER_AUTH' } });
    assert.equal(step.isSignedIn, false);
    assert.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    const available = step.nextStep.availableChallenges;
    for (const c of ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']) assert.ok(available.includes(c), `${c} in ${available}`);
    const [init] = await requestHistory(s.url, 'InitiateAuth');
    assert.equal(init.output.ChallengeName, 'SELECT_CHALLENGE');
    assert.equal(init.input.AuthParameters.PREFERRED_CHALLENGE, undefined);

    const pw = await confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    assert.deepEqual(pw, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' } });
    assert.deepEqual(await confirmSignIn({ challengeResponse: PASSWORD }), DONE);
    assert.equal((await accessClaims()).username, 'amp-choose');

    const calls = (await requestHistory(s.url, 'RespondToAuthChallenge')).slice(0, 2).reverse();
    assert.deepEqual(calls.map((r) => [r.input.ChallengeName, r.input.ChallengeResponses.ANSWER, r.status]), [
      ['SELECT_CHALLENGE', 'PASSWORD_SRP', 200],
      ['PASSWORD_VERIFIER', undefined, 200],
    ]);
    assert.equal(calls[0].output.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal((await otpMessages(poolId, 'amp-choose')).length, 0, 'choosing a password sends no code');
  });

  test('first-factor selection: PASSWORD and EMAIL_OTP answers; no EMAIL_OTP offered without a verified e-mail', async () => {
    const { poolId } = await userAuthPool();
    await createConfirmedUser(s.idp, poolId, 'amp-sel', PASSWORD, withEmail('amp-sel'));
    await createConfirmedUser(s.idp, poolId, 'amp-unverified', PASSWORD, withEmail('amp-unverified', false));

    let step = await signIn({ username: 'amp-sel', options: { authFlowType: 'USER_AUTH' } });
    assert.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual(await confirmSignIn({ challengeResponse: 'PASSWORD' }),
      { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' } });
    assert.deepEqual(await confirmSignIn({ challengeResponse: PASSWORD }), DONE);
    await signOut();

    step = await signIn({ username: 'amp-sel', options: { authFlowType: 'USER_AUTH' } });
    assert.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    const otp = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    assert.equal(otp.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const { code } = (await otpMessages(poolId, 'amp-sel')).at(-1);
    assert.deepEqual(await confirmSignIn({ challengeResponse: code }), DONE);
    await signOut();

    step = await signIn({ username: 'amp-unverified', options: { authFlowType: 'USER_AUTH' } });
    assert.equal(step.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual([...step.nextStep.availableChallenges].sort(), ['PASSWORD', 'PASSWORD_SRP']);
  });

  test('preferredChallenge PASSWORD_SRP (and PASSWORD) with the password: DONE; a wrong password is refused', async () => {
    const { poolId } = await userAuthPool();
    await createConfirmedUser(s.idp, poolId, 'amp-pref', PASSWORD, withEmail('amp-pref'));

    assert.deepEqual(await signIn({
      username: 'amp-pref', password: PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' },
    }), DONE);
    const [init] = await requestHistory(s.url, 'InitiateAuth');
    assert.equal(init.input.AuthFlow, 'USER_AUTH');
    assert.equal(init.input.AuthParameters.PREFERRED_CHALLENGE, 'PASSWORD_SRP');
    assert.ok(init.input.AuthParameters.SRP_A, 'SRP_A sent');
    assert.equal(init.output.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal((await accessClaims()).username, 'amp-pref');
    await signOut();

    assert.deepEqual(await signIn({
      username: 'amp-pref', password: PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' },
    }), DONE);
    await signOut();

    for (const preferredChallenge of ['PASSWORD_SRP', 'PASSWORD']) {
      await assert.rejects(signIn({
        username: 'amp-pref', password: OTHER_PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge },
      }), (e) => {
        assert.equal(e.name, 'NotAuthorizedException', `${preferredChallenge}: ${e.name} ${e.message}`);
        assert.equal(e.message, 'Incorrect username or password.');
        return true;
      });
    }
  });

  test('with TOTP enabled: USER_AUTH with a password still asks for the TOTP code, EMAIL_OTP first does not', async () => {
    const { poolId } = await userAuthPool();
    await createConfirmedUser(s.idp, poolId, 'amp-mfa', PASSWORD, withEmail('amp-mfa'));
    assert.deepEqual(await signIn({
      username: 'amp-mfa', password: PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' },
    }), DONE, 'no factor yet');
    const { sharedSecret: secret } = await setUpTOTP();
    await verifyTOTPSetup({ code: await emulatorTotp(s.url, secret) });
    await updateMFAPreference({ totp: 'PREFERRED' });
    await signOut();

    const pw = await signIn({
      username: 'amp-mfa', password: PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' },
    });
    assert.deepEqual(pw, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    assert.deepEqual(await confirmSignIn({ challengeResponse: await emulatorTotp(s.url, secret, 1) }), DONE);
    await signOut();

    const { done } = await emailOtpSignIn(poolId, 'amp-mfa');
    assert.deepEqual(done, DONE, 'no MFA after an OTP first factor');
    const [last] = await requestHistory(s.url, 'RespondToAuthChallenge');
    assert.equal(last.input.ChallengeName, 'EMAIL_OTP');
    assert.ok(last.output.AuthenticationResult, 'tokens right after the e-mail code');
    assert.equal((await accessClaims()).username, 'amp-mfa');
  });
});
