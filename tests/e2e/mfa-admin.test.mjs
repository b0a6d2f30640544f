// MFA administration through the AWS SDK for JavaScript v3: SetUserPoolMfaConfig validation and
// GetUserPoolMfaConfig, (Admin)SetUserMFAPreference and what AdminGetUser reports, the legacy
// AdminSetUserSettings, (Admin)GetUserAuthFactors, TOTP set up with an access token and then
// used at an ADMIN_USER_PASSWORD_AUTH sign-in, and the pricing-tier gates (UserPoolTier).
// TOTP codes come from the EMULATOR clock, which these tests freeze.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  SetUserPoolMfaConfigCommand, GetUserPoolMfaConfigCommand, DescribeUserPoolCommand, UpdateUserPoolCommand,
  AdminSetUserMFAPreferenceCommand, SetUserMFAPreferenceCommand, AdminGetUserCommand, GetUserCommand,
  AdminSetUserSettingsCommand, GetUserAuthFactorsCommand, AssociateSoftwareTokenCommand,
  VerifySoftwareTokenCommand, AdminRespondToAuthChallengeCommand, CreateUserPoolCommand,
  CreateUserPoolClientCommand, UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPool, createClient, createPoolAndClient, createConfirmedUser, adminPasswordAuth,
  expectError, setClock, decodeJwt, uniq, PASSWORD,
} from './support/idp.mjs';
import { rawIdp, assertRawError, body } from './support/mfa.mjs';
import { totp, freezeClock } from './support/totp.mjs';

const OFF_AND_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.";
const NO_FACTOR = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.";
const noDelivery = (factor) => `User does not have delivery config set to turn on ${factor}`;
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
const SES_EMAIL = {
  EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/x@example.com',
};
const ADMIN_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const TIER_ESSENTIALS_TP = 'The following features need to be disabled for the ESSENTIALS pricing tier configured: Threat Protection';

const setMfa = (idp, input) => idp.send(new SetUserPoolMfaConfigCommand(input));
const getMfa = async (idp, poolId) => body(await idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId })));
const adminGetUser = (idp, poolId, username) => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
const adminPref = (idp, poolId, username, settings) =>
  idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, ...settings }));

/** AdminGetUser's MFA members only. */
async function mfaMembers(idp, poolId, username) {
  const u = await adminGetUser(idp, poolId, username);
  const out = {};
  for (const k of ['UserMFASettingList', 'PreferredMfaSetting', 'MFAOptions']) if (u[k] !== undefined) out[k] = u[k];
  return out;
}

describe('SetUserPoolMfaConfig / GetUserPoolMfaConfig', { timeout: 60_000 }, () => {
  test('a fresh pool is OFF with no factor blocks', async (t) => {
    const { idp } = await emulatorFor(t);
    const pool = await createPool(idp);
    assert.deepEqual(await getMfa(idp, pool.Id), { MfaConfiguration: 'OFF' });
  });

  test('invalid combinations are refused with AWS\'s messages and change nothing', async (t) => {
    const { idp } = await emulatorFor(t);
    const pool = await createPool(idp, { SmsConfiguration: SMS_CONFIG, EmailConfiguration: SES_EMAIL });
    const id = pool.Id;
    const smsBlock = { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: SMS_CONFIG };
    const emailBlock = { Message: 'Your code is {####}', Subject: 'Code' };
    for (const factor of [
      { SoftwareTokenMfaConfiguration: { Enabled: true } },
      { SmsMfaConfiguration: smsBlock },
      { EmailMfaConfiguration: emailBlock },
    ]) {
      await expectError(setMfa(idp, { UserPoolId: id, MfaConfiguration: 'OFF', ...factor }),
        'InvalidParameterException', OFF_AND_FACTOR);
    }
    await expectError(setMfa(idp, { UserPoolId: id, MfaConfiguration: 'ON' }), 'InvalidParameterException', NO_FACTOR);
    await expectError(setMfa(idp, { UserPoolId: id, MfaConfiguration: 'OPTIONAL' }), 'InvalidParameterException', NO_FACTOR);
    await expectError(setMfa(idp, {
      UserPoolId: id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: false },
    }), 'InvalidParameterException', NO_FACTOR);
    // the SMS message must contain {####}
    await expectError(setMfa(idp, {
      UserPoolId: id, MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code', SmsConfiguration: SMS_CONFIG },
    }), 'InvalidParameterException');
    assert.deepEqual(await getMfa(idp, id), { MfaConfiguration: 'OFF' }, 'refused calls changed nothing');
    const described = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool;
    assert.equal(described.MfaConfiguration, 'OFF');
  });

  test('e-mail MFA needs SES sending and is not on LITE; SMS MFA needs an SmsConfiguration', async (t) => {
    const { idp } = await emulatorFor(t);
    const emailBlock = { Message: 'Your code is {####}', Subject: 'Code' };
    const cognitoMail = await createPool(idp);
    await expectError(setMfa(idp, {
      UserPoolId: cognitoMail.Id, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: emailBlock,
    }), 'InvalidParameterException');
    const lite = await createPool(idp, { UserPoolTier: 'LITE', EmailConfiguration: SES_EMAIL });
    await expectError(setMfa(idp, {
      UserPoolId: lite.Id, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: emailBlock,
    }), 'FeatureUnavailableInTierException');
    const noSms = await createPool(idp);
    await expectError(setMfa(idp, {
      UserPoolId: noSms.Id, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' },
    }), 'InvalidParameterException');
    for (const p of [cognitoMail, lite, noSms]) assert.deepEqual(await getMfa(idp, p.Id), { MfaConfiguration: 'OFF' });

    // accepted: e-mail MFA on an ESSENTIALS pool with SES; SMS with the configuration in the block
    const ses = await createPool(idp, { EmailConfiguration: SES_EMAIL });
    const r = body(await setMfa(idp, { UserPoolId: ses.Id, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: emailBlock }));
    assert.equal(r.MfaConfiguration, 'OPTIONAL');
    assert.deepEqual(r.EmailMfaConfiguration, emailBlock);
    const got = await getMfa(idp, ses.Id);
    assert.equal(got.MfaConfiguration, 'OPTIONAL');
    assert.deepEqual(got.EmailMfaConfiguration, emailBlock);
    const sms = body(await setMfa(idp, {
      UserPoolId: noSms.Id, MfaConfiguration: 'ON',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: SMS_CONFIG },
    }));
    assert.equal(sms.MfaConfiguration, 'ON');
    assert.equal(sms.SmsMfaConfiguration.SmsAuthenticationMessage, 'Code {####}');
    assert.equal(sms.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn, SMS_CONFIG.SnsCallerArn);
  });

  test('TOTP only needs SoftwareTokenMfaConfiguration; OFF again drops it', async (t) => {
    const { idp } = await emulatorFor(t);
    const pool = await createPool(idp);
    const r = body(await setMfa(idp, {
      UserPoolId: pool.Id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
    assert.equal(r.MfaConfiguration, 'OPTIONAL');
    assert.deepEqual(r.SoftwareTokenMfaConfiguration, { Enabled: true });
    const got = await getMfa(idp, pool.Id);
    assert.equal(got.MfaConfiguration, 'OPTIONAL');
    assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: true });
    assert.equal((await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool.MfaConfiguration, 'OPTIONAL');
    await setMfa(idp, { UserPoolId: pool.Id, MfaConfiguration: 'OFF' });
    assert.equal((await getMfa(idp, pool.Id)).MfaConfiguration, 'OFF');
  });
});

describe('user MFA settings', { timeout: 60_000 }, () => {
  /** A pool offering SMS, TOTP and e-mail MFA (OPTIONAL). */
  async function mfaPool(idp) {
    const { poolId, clientId } = await createPoolAndClient(idp, { SmsConfiguration: SMS_CONFIG, EmailConfiguration: SES_EMAIL },
      { ExplicitAuthFlows: ADMIN_FLOWS });
    await setMfa(idp, {
      UserPoolId: poolId, MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: SMS_CONFIG },
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Code' },
    });
    return { poolId, clientId };
  }

  test('AdminSetUserMFAPreference needs the delivery config; AdminGetUser reports the settings', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await mfaPool(idp);
    await createConfirmedUser(idp, poolId, 'bare');
    assert.deepEqual(await mfaMembers(idp, poolId, 'bare'), {}, 'nothing set: no MFA members');
    await expectError(adminPref(idp, poolId, 'bare', { SMSMfaSettings: { Enabled: true } }),
      'InvalidParameterException', noDelivery('SMS_MFA'));
    await expectError(adminPref(idp, poolId, 'bare', { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
      'InvalidParameterException', noDelivery('SOFTWARE_TOKEN_MFA'));
    await expectError(adminPref(idp, poolId, 'bare', { EmailMfaSettings: { Enabled: true } }),
      'InvalidParameterException', noDelivery('EMAIL_OTP'));
    assert.deepEqual(await mfaMembers(idp, poolId, 'bare'), {}, 'refused calls changed nothing');
    await expectError(adminPref(idp, poolId, 'nobody', { SMSMfaSettings: { Enabled: true } }), 'UserNotFoundException');

    await createConfirmedUser(idp, poolId, 'full', PASSWORD, [
      { Name: 'phone_number', Value: '+15555550100' }, { Name: 'email', Value: 'full@example.com' },
    ]);
    assert.deepEqual(body(await adminPref(idp, poolId, 'full', { SMSMfaSettings: { Enabled: true, PreferredMfa: true } })), {});
    assert.deepEqual(await mfaMembers(idp, poolId, 'full'), {
      UserMFASettingList: ['SMS_MFA'], PreferredMfaSetting: 'SMS_MFA',
      MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }],
    });
    await adminPref(idp, poolId, 'full', { EmailMfaSettings: { Enabled: true } });
    let m = await mfaMembers(idp, poolId, 'full');
    assert.deepEqual([...m.UserMFASettingList].sort(), ['EMAIL_OTP', 'SMS_MFA'], 'e-mail MFA is listed as EMAIL_OTP');
    assert.equal(m.PreferredMfaSetting, 'SMS_MFA');
    // the preference moves to e-mail; SMS stays enabled
    await adminPref(idp, poolId, 'full', { EmailMfaSettings: { Enabled: true, PreferredMfa: true } });
    m = await mfaMembers(idp, poolId, 'full');
    assert.equal(m.PreferredMfaSetting, 'EMAIL_OTP');
    assert.deepEqual([...m.UserMFASettingList].sort(), ['EMAIL_OTP', 'SMS_MFA']);
    // turning SMS off drops it from the list and from MFAOptions
    await adminPref(idp, poolId, 'full', { SMSMfaSettings: { Enabled: false, PreferredMfa: false } });
    m = await mfaMembers(idp, poolId, 'full');
    assert.deepEqual(m, { UserMFASettingList: ['EMAIL_OTP'], PreferredMfaSetting: 'EMAIL_OTP' });
    // and everything off: the members are gone
    await adminPref(idp, poolId, 'full', { EmailMfaSettings: { Enabled: false, PreferredMfa: false } });
    assert.deepEqual(await mfaMembers(idp, poolId, 'full'), {});
  });

  test('AdminSetUserSettings turns SMS MFA on and off (legacy MFAOptions)', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await mfaPool(idp);
    await createConfirmedUser(idp, poolId, 'legacy', PASSWORD, [{ Name: 'phone_number', Value: '+15555550101' }]);
    const r = await idp.send(new AdminSetUserSettingsCommand({
      UserPoolId: poolId, Username: 'legacy', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }],
    }));
    assert.deepEqual(body(r), {});
    const m = await mfaMembers(idp, poolId, 'legacy');
    assert.deepEqual(m.UserMFASettingList, ['SMS_MFA']);
    assert.deepEqual(m.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    await idp.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: 'legacy', MFAOptions: [] }));
    assert.deepEqual(await mfaMembers(idp, poolId, 'legacy'), {});
    await expectError(idp.send(new AdminSetUserSettingsCommand({
      UserPoolId: poolId, Username: 'ghost', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }],
    })), 'UserNotFoundException', 'User does not exist.');
  });

  test('GetUserAuthFactors / AdminGetUserAuthFactors list PASSWORD, EMAIL_OTP, then SOFTWARE_TOKEN', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const now = await freezeClock(url);
    const { poolId, clientId } = await createPoolAndClient(idp, {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    }, { ExplicitAuthFlows: ADMIN_FLOWS });
    await setMfa(idp, { UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createConfirmedUser(idp, poolId, 'fay', PASSWORD, [
      { Name: 'email', Value: 'fay@example.com' }, { Name: 'email_verified', Value: 'true' },
    ]);
    const access = (await adminPasswordAuth(idp, poolId, clientId, 'fay', PASSWORD)).AuthenticationResult.AccessToken;

    const self = body(await idp.send(new GetUserAuthFactorsCommand({ AccessToken: access })));
    assert.deepEqual(self, { Username: 'fay', ConfiguredUserAuthFactors: ['PASSWORD', 'EMAIL_OTP'] });
    const admin = await rawIdp(url, 'AdminGetUserAuthFactors', { UserPoolId: poolId, Username: 'fay' });
    assert.equal(admin.status, 200, admin.text);
    assert.deepEqual(admin.json, { Username: 'fay', ConfiguredUserAuthFactors: ['PASSWORD', 'EMAIL_OTP'] });
    assertRawError(await rawIdp(url, 'AdminGetUserAuthFactors', { UserPoolId: poolId, Username: 'nobody' }),
      'UserNotFoundException');

    // TOTP set up with the access token
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
    const v = await idp.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totp(SecretCode, now) }));
    assert.equal(v.Status, 'SUCCESS');
    const withToken = body(await idp.send(new GetUserAuthFactorsCommand({ AccessToken: access })));
    assert.deepEqual(withToken.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'SOFTWARE_TOKEN']);
    await idp.send(new SetUserMFAPreferenceCommand({
      AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }));
    const enabled = await rawIdp(url, 'AdminGetUserAuthFactors', { UserPoolId: poolId, Username: 'fay' });
    assert.equal(enabled.status, 200, enabled.text);
    assert.deepEqual(enabled.json, {
      Username: 'fay', ConfiguredUserAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SOFTWARE_TOKEN'],
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
    });

    // a pool that does not allow EMAIL_OTP first: the same kind of user has PASSWORD only
    const plain = await createPoolAndClient(idp, {}, { ExplicitAuthFlows: ADMIN_FLOWS });
    await createConfirmedUser(idp, plain.poolId, 'fay', PASSWORD, [
      { Name: 'email', Value: 'fay@example.com' }, { Name: 'email_verified', Value: 'true' },
    ]);
    const plainAdmin = await rawIdp(url, 'AdminGetUserAuthFactors', { UserPoolId: plain.poolId, Username: 'fay' });
    assert.deepEqual(plainAdmin.json, { Username: 'fay', ConfiguredUserAuthFactors: ['PASSWORD'] });
  });
});

describe('TOTP with an access token, then an admin sign-in', { timeout: 60_000 }, () => {
  test('Associate/Verify, SetUserMFAPreference, SOFTWARE_TOKEN_MFA answered by AdminRespondToAuthChallenge, one use per code', async (t) => {
    const { idp, url } = await emulatorFor(t);
    let now = await freezeClock(url);
    const { poolId, clientId } = await createPoolAndClient(idp, {}, { ExplicitAuthFlows: ADMIN_FLOWS });
    await setMfa(idp, { UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    await createConfirmedUser(idp, poolId, 'tom');
    const first = await adminPasswordAuth(idp, poolId, clientId, 'tom', PASSWORD);
    const access = first.AuthenticationResult.AccessToken;

    const assoc = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
    assert.match(assoc.SecretCode, /^[A-Z2-7]{52}$/, `SecretCode is 52 base32 characters: ${assoc.SecretCode}`);
    const secret = assoc.SecretCode;
    const wrong = String((Number(totp(secret, now)) + 1) % 1_000_000).padStart(6, '0');
    await expectError(idp.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: wrong })),
      'EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
    const ok = await idp.send(new VerifySoftwareTokenCommand({
      AccessToken: access, UserCode: totp(secret, now), FriendlyDeviceName: 'phone',
    }));
    assert.equal(ok.Status, 'SUCCESS');

    // verified but not enabled: an OPTIONAL pool does not ask for it yet
    const noChallenge = await adminPasswordAuth(idp, poolId, clientId, 'tom', PASSWORD);
    assert.equal(noChallenge.ChallengeName, undefined, 'no MFA before SetUserMFAPreference');
    assert.ok(noChallenge.AuthenticationResult?.AccessToken);
    assert.deepEqual(await mfaMembers(idp, poolId, 'tom'), {});

    await idp.send(new SetUserMFAPreferenceCommand({
      AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }));
    const me = await idp.send(new GetUserCommand({ AccessToken: access }));
    assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    assert.deepEqual(await mfaMembers(idp, poolId, 'tom'), {
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
    });

    const ch = await adminPasswordAuth(idp, poolId, clientId, 'tom', PASSWORD);
    assert.equal(ch.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(ch.AuthenticationResult, undefined);
    assert.equal(typeof ch.Session, 'string');
    // the current step's code was spent by VerifySoftwareToken: the next step's is accepted once
    const code = totp(secret, now + 30);
    const answered = await idp.send(new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId, ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: ch.Session,
      ChallengeResponses: { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: code },
    }));
    const tokens = answered.AuthenticationResult;
    assert.ok(tokens?.AccessToken && tokens.IdToken && tokens.RefreshToken, 'tokens after the TOTP answer');
    assert.equal(decodeJwt(tokens.AccessToken).payload.username, 'tom');

    // the same code again, on a new sign-in, is refused; the Session stays usable
    const again = await adminPasswordAuth(idp, poolId, clientId, 'tom', PASSWORD);
    assert.equal(again.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    await expectError(idp.send(new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId, ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: again.Session,
      ChallengeResponses: { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: code },
    })), 'CodeMismatchException', 'Invalid code or auth state for the user.');
    now = (await setClock(url, { advance: 30 })).now;
    const retried = await idp.send(new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId, ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: again.Session,
      ChallengeResponses: { USERNAME: 'tom', SOFTWARE_TOKEN_MFA_CODE: totp(secret, now + 30) },
    }));
    assert.ok(retried.AuthenticationResult?.AccessToken, 'a fresh code on the same Session signs in');
  });
});

describe('pricing tiers (UserPoolTier)', { timeout: 60_000 }, () => {
  test('a fresh pool is ESSENTIALS with a PASSWORD-only sign-in policy', async (t) => {
    const { idp } = await emulatorFor(t);
    const pool = await createPool(idp);
    const d = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool;
    assert.equal(d.UserPoolTier, 'ESSENTIALS');
    assert.deepEqual(d.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD']);
  });

  test('LITE refuses choice-based sign-in factors and ALLOW_USER_AUTH', async (t) => {
    const { idp } = await emulatorFor(t);
    await expectError(idp.send(new CreateUserPoolCommand({
      PoolName: uniq('lite'), UserPoolTier: 'LITE',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    })), 'FeatureUnavailableInTierException');
    // LITE with a PASSWORD-only policy is fine
    const lite = await createPool(idp, {
      UserPoolTier: 'LITE', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } },
    });
    assert.equal((await idp.send(new DescribeUserPoolCommand({ UserPoolId: lite.Id }))).UserPool.UserPoolTier, 'LITE');
    await expectError(idp.send(new CreateUserPoolClientCommand({
      UserPoolId: lite.Id, ClientName: 'choice', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })), 'FeatureUnavailableInTierException');
    const plain = await createClient(idp, lite.Id, { ExplicitAuthFlows: ADMIN_FLOWS });
    await expectError(idp.send(new UpdateUserPoolClientCommand({
      UserPoolId: lite.Id, ClientId: plain.ClientId, ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })), 'FeatureUnavailableInTierException');
    // the same client is fine on ESSENTIALS
    const essentials = await createPool(idp);
    const c = await createClient(idp, essentials.Id, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    assert.ok(c.ExplicitAuthFlows.includes('ALLOW_USER_AUTH'));
  });

  test('threat protection (UserPoolAddOns) needs PLUS', async (t) => {
    const { idp } = await emulatorFor(t);
    await expectError(idp.send(new CreateUserPoolCommand({
      PoolName: uniq('ess'), UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    })), 'FeatureUnavailableInTierException', TIER_ESSENTIALS_TP);
    await expectError(idp.send(new CreateUserPoolCommand({
      PoolName: uniq('ess'), UserPoolTier: 'ESSENTIALS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
    })), 'FeatureUnavailableInTierException', TIER_ESSENTIALS_TP);
    const ess = await createPool(idp);
    await expectError(idp.send(new UpdateUserPoolCommand({
      UserPoolId: ess.Id, UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    })), 'FeatureUnavailableInTierException', TIER_ESSENTIALS_TP);
    const plus = await createPool(idp, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
    const d = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: plus.Id }))).UserPool;
    assert.equal(d.UserPoolTier, 'PLUS');
    assert.equal(d.UserPoolAddOns?.AdvancedSecurityMode, 'ENFORCED');
  });
});
