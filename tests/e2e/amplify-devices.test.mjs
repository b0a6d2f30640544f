// Amplify v6 device tracking against the emulator: Amplify confirms the new device after sign-in,
// rememberDevice / fetchDevices / forgetDevice, a remembered device replaces MFA with the device
// SRP proof (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER), a device that is not remembered gets MFA
// first and the proof after it, and a device forgotten behind Amplify's back is dropped by
// Amplify after "Device does not exist." (it retries without it).
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  signIn, confirmSignIn, signOut, fetchAuthSession, rememberDevice, fetchDevices, forgetDevice,
} from 'aws-amplify/auth';
import {
  SetUserPoolMfaConfigCommand, AdminInitiateAuthCommand, AssociateSoftwareTokenCommand,
  VerifySoftwareTokenCommand, SetUserMFAPreferenceCommand, AdminGetDeviceCommand, AdminListDevicesCommand,
  AdminForgetDeviceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createPool, createClient, createConfirmedUser, decodeJwt, expectError, attrMap, setClock, PASSWORD,
} from './support/idp.mjs';
import { amplifySuite, configureAmplify, resetAmplify, requestHistory } from './support/amplify.mjs';
import { emulatorTotp } from './support/totp.mjs';

// Amplify names the device from navigator.userAgent(Data). Node before 21 has no navigator, and
// Amplify then silently skips ConfirmDevice (getNewDeviceMetadata swallows the ReferenceError):
// give it what a browser would have.
if (typeof globalThis.navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: 'amplify-e2e (Node.js)' }, configurable: true, writable: true,
  });
}

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
// The emulator clock moves 30 s per TOTP code while Amplify stamps SRP proofs with the machine clock.
const s = amplifySuite({ before, after, args: ['--max-clock-skew', '0'] });
afterEach(resetAmplify);

/**
 * Opt-in device pool (ChallengeRequiredOnNewDevice, DeviceOnlyRememberedOnUserPrompt) with TOTP
 * OPTIONAL, and a user whose TOTP is enabled (set up outside Amplify, with the SDK). Each TOTP
 * code used afterwards comes from `nextTotp()`, which first moves the emulator clock one step on
 * (each step's code is accepted once).
 */
async function devicePoolWithTotpUser(username) {
  const pool = await createPool(s.idp, {
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });
  await s.idp.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: pool.Id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
  }));
  const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: FLOWS });
  await createConfirmedUser(s.idp, pool.Id, username);
  const { AuthenticationResult: auth } = await s.idp.send(new AdminInitiateAuthCommand({
    AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', UserPoolId: pool.Id, ClientId: client.ClientId,
    AuthParameters: { USERNAME: username, PASSWORD },
  }));
  const { SecretCode: secret } = await s.idp.send(new AssociateSoftwareTokenCommand({ AccessToken: auth.AccessToken }));
  const verified = await s.idp.send(new VerifySoftwareTokenCommand({
    AccessToken: auth.AccessToken, UserCode: await emulatorTotp(s.url, secret),
  }));
  assert.equal(verified.Status, 'SUCCESS');
  await s.idp.send(new SetUserMFAPreferenceCommand({
    AccessToken: auth.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  }));
  const storage = configureAmplify(s.url, pool.Id, client.ClientId);
  const nextTotp = async () => {
    await setClock(s.url, { advance: 30 });
    return emulatorTotp(s.url, secret);
  };
  return { poolId: pool.Id, clientId: client.ClientId, storage, nextTotp };
}

/** signIn + the TOTP step; returns the access-token claims. */
async function signInWithTotp(username, nextTotp) {
  const step = await signIn({ username, password: PASSWORD });
  assert.deepEqual(step, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  const done = await confirmSignIn({ challengeResponse: await nextTotp() });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  return accessClaims();
}

async function accessClaims() {
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.accessToken, 'Amplify holds an access token');
  return decodeJwt(tokens.accessToken.toString()).payload;
}

/** The RespondToAuthChallenge calls made after `since` (a requestId list snapshot), oldest first. */
async function challengesSince(before) {
  const seen = new Set(before.map((r) => r.requestId));
  return (await requestHistory(s.url, 'RespondToAuthChallenge')).filter((r) => !seen.has(r.requestId)).reverse()
    .map((r) => ({ challenge: r.input.ChallengeName, status: r.status, error: r.error, deviceKey: r.input.ChallengeResponses?.DEVICE_KEY }));
}

const adminGetDevice = (poolId, username, deviceKey) =>
  s.idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey }));

describe('Amplify v6 devices', { concurrency: false }, () => {
  test('confirm on sign-in, rememberDevice, fetchDevices; a remembered device skips MFA with the device proof; forgetDevice', async () => {
    const { poolId, storage, nextTotp } = await devicePoolWithTotpUser('amp-dev');

    // First sign-in on this "device": MFA, then Amplify confirms the new device by itself.
    const claims = await signInWithTotp('amp-dev', nextTotp);
    const deviceKey = storage.find('.deviceKey');
    assert.ok(deviceKey, 'Amplify stored the device key');
    assert.ok(storage.find('.deviceGroupKey'), 'and the device group key');
    assert.ok(storage.find('.randomPasswordKey'), 'and the device password');
    assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
    assert.equal(claims.device_key, deviceKey);
    const [confirm] = await requestHistory(s.url, 'ConfirmDevice');
    assert.equal(confirm.status, 200, `ConfirmDevice → ${confirm.status} ${JSON.stringify(confirm.output)}`);
    assert.equal(confirm.input.DeviceKey, deviceKey);
    assert.equal(confirm.output.UserConfirmationNecessary, true, 'DeviceOnlyRememberedOnUserPrompt');
    const deviceName = confirm.input.DeviceName;
    assert.ok(deviceName, 'Amplify named the device');

    // Confirmed but not remembered: ListDevices (fetchDevices) shows only remembered devices.
    assert.deepEqual(await fetchDevices(), []);
    const before = await adminGetDevice(poolId, 'amp-dev', deviceKey);
    assert.equal(attrMap(before.Device.DeviceAttributes)['dev:device_remembered_status'], 'not_remembered');

    await rememberDevice();
    const [status] = await requestHistory(s.url, 'UpdateDeviceStatus');
    assert.equal(status.status, 200);
    assert.equal(status.input.DeviceRememberedStatus, 'remembered');
    const devices = await fetchDevices();
    assert.equal(devices.length, 1);
    assert.equal(devices[0].id, deviceKey);
    assert.equal(devices[0].name, deviceName);
    assert.equal(devices[0].attributes.device_name, deviceName);
    assert.equal(devices[0].attributes['dev:device_remembered_status'], 'remembered');
    assert.equal(devices[0].attributes.device_status, 'valid');
    assert.ok(devices[0].createDate instanceof Date && !Number.isNaN(devices[0].createDate.getTime()));

    // A refresh on this device sends its key and works.
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    assert.equal(decodeJwt(refreshed.tokens.accessToken.toString()).payload.device_key, deviceKey);
    const [refresh] = await requestHistory(s.url, 'GetTokensFromRefreshToken');
    assert.equal(refresh.status, 200);
    assert.equal(refresh.input.DeviceKey, deviceKey);

    // Next sign-in: the remembered device proves itself instead of MFA.
    await signOut();
    const mark = await requestHistory(s.url, 'RespondToAuthChallenge');
    const confirms = (await requestHistory(s.url, 'ConfirmDevice')).length;
    assert.deepEqual(await signIn({ username: 'amp-dev', password: PASSWORD }),
      { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, 'no MFA step on a remembered device');
    assert.deepEqual(await challengesSince(mark), [
      { challenge: 'PASSWORD_VERIFIER', status: 200, error: undefined, deviceKey },
      { challenge: 'DEVICE_SRP_AUTH', status: 200, error: undefined, deviceKey },
      { challenge: 'DEVICE_PASSWORD_VERIFIER', status: 200, error: undefined, deviceKey },
    ]);
    const [dpv] = await requestHistory(s.url, 'RespondToAuthChallenge');
    assert.equal(dpv.output.AuthenticationResult?.NewDeviceMetadata, undefined, 'a known device gets no new metadata');
    assert.equal((await accessClaims()).device_key, deviceKey);
    assert.equal((await requestHistory(s.url, 'ConfirmDevice')).length, confirms, 'no second ConfirmDevice');
    assert.equal(storage.find('.deviceKey'), deviceKey);
    const proven = (await adminGetDevice(poolId, 'amp-dev', deviceKey)).Device;
    assert.ok(proven.DeviceLastAuthenticatedDate instanceof Date, 'the device proof counts as an authentication');

    // forgetDevice: gone on the server and in Amplify's store.
    await forgetDevice();
    const [forget] = await requestHistory(s.url, 'ForgetDevice');
    assert.equal(forget.status, 200);
    assert.equal(forget.input.DeviceKey, deviceKey);
    assert.equal(storage.find('.deviceKey'), null, 'Amplify dropped the device it forgot');
    assert.deepEqual(await fetchDevices(), []);
    await expectError(adminGetDevice(poolId, 'amp-dev', deviceKey), 'ResourceNotFoundException', 'Device does not exist.');
    // The refresh token issued on that device died with it.
    const afterForget = await fetchAuthSession({ forceRefresh: true });
    assert.equal(afterForget.tokens, undefined, 'the refresh fails and Amplify drops the session');
    const [deadRefresh] = await requestHistory(s.url, 'GetTokensFromRefreshToken');
    assert.equal(deadRefresh.status, 400);
    assert.equal(deadRefresh.error, 'NotAuthorizedException');
    assert.equal(deadRefresh.output.message, 'Invalid Refresh Token.');

    // A sign-in without a device asks for MFA again, and Amplify confirms a new device.
    await signOut();
    const again = await signInWithTotp('amp-dev', nextTotp);
    const newKey = storage.find('.deviceKey');
    assert.ok(newKey && newKey !== deviceKey, 'a new device');
    assert.equal(again.device_key, newKey);
  });

  test('a confirmed device that is not remembered: MFA first, then the device proof (no new device)', async () => {
    const { storage, nextTotp } = await devicePoolWithTotpUser('amp-dev2');
    await signInWithTotp('amp-dev2', nextTotp);
    const deviceKey = storage.find('.deviceKey');
    assert.ok(deviceKey);
    await signOut();

    const mark = await requestHistory(s.url, 'RespondToAuthChallenge');
    const claims = await signInWithTotp('amp-dev2', nextTotp);
    assert.deepEqual((await challengesSince(mark)).map((c) => [c.challenge, c.status, c.deviceKey]), [
      ['PASSWORD_VERIFIER', 200, deviceKey],
      ['SOFTWARE_TOKEN_MFA', 200, deviceKey],
      ['DEVICE_SRP_AUTH', 200, deviceKey],
      ['DEVICE_PASSWORD_VERIFIER', 200, deviceKey],
    ]);
    assert.equal(claims.device_key, deviceKey);
    assert.equal(storage.find('.deviceKey'), deviceKey);
    assert.equal((await requestHistory(s.url, 'ConfirmDevice')).filter((r) => r.input.DeviceKey === deviceKey).length, 1);
  });

  test('a device forgotten behind Amplify\'s back: "Device does not exist.", Amplify drops it, retries, and MFA is asked', async () => {
    const { poolId, storage, nextTotp } = await devicePoolWithTotpUser('amp-dev3');
    await signInWithTotp('amp-dev3', nextTotp);
    const deviceKey = storage.find('.deviceKey');
    await rememberDevice();
    await signOut();
    await s.idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'amp-dev3', DeviceKey: deviceKey }));
    assert.equal(storage.find('.deviceKey'), deviceKey, 'Amplify still has it');

    const mark = await requestHistory(s.url, 'RespondToAuthChallenge');
    const step = await signIn({ username: 'amp-dev3', password: PASSWORD });
    assert.deepEqual(step, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const calls = await challengesSince(mark);
    assert.deepEqual(calls, [
      { challenge: 'PASSWORD_VERIFIER', status: 400, error: 'ResourceNotFoundException', deviceKey },
      { challenge: 'PASSWORD_VERIFIER', status: 200, error: undefined, deviceKey: undefined },
    ]);
    const [failed] = (await requestHistory(s.url, 'RespondToAuthChallenge')).filter((r) => r.status === 400);
    assert.equal(failed.output.message, 'Device does not exist.');
    assert.equal(storage.find('.deviceKey'), null, 'Amplify cleared the stale device');

    const done = await confirmSignIn({ challengeResponse: await nextTotp() });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const newKey = storage.find('.deviceKey');
    assert.ok(newKey && newKey !== deviceKey, 'a new device was confirmed');
    const { Devices } = await s.idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'amp-dev3' }));
    assert.deepEqual(Devices.map((d) => d.DeviceKey), [newKey]);
  });
});
