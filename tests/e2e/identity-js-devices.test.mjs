// amazon-cognito-identity-js 6.3.21 and device tracking: the library confirms the device it is
// handed (NewDeviceMetadata → ConfirmDevice), caches deviceKey / deviceGroupKey / randomPasswordKey
// in its Storage, and proves the device with DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER on the next
// sign-in; a remembered device skips MFA; a forgotten one is dropped after "Device does not exist.";
// refresh carries the device key; opt-in pools remember a device only when the user says so.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetDeviceCommand, AdminListDevicesCommand, AdminForgetDeviceCommand, InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, decodeJwt, closeConnectionsInGlobalFetch, expectError,
  setClock, attrMap, PASSWORD,
} from './support/idp.mjs';
import {
  libraryPool, libraryUser, authenticate, sendMFACode, withTimeout, nodeCallback, successCallbacks, rejection,
  assertLibraryError, requestLog, cachedDevice, deviceCacheKeys, InspectableStorage,
} from './support/identity-js.mjs';
import { totp, freezeClock } from './support/totp.mjs';

const SRP_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ALWAYS = { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false };
const OPT_IN = { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true };
const DEVICE_KEY_RE = /^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DEVICE_SEQUENCE = ['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER'];
// The library names the device navigator.userAgent when there is a navigator (Node >= 21), else 'nodejs'.
const DEVICE_NAME = typeof navigator !== 'undefined' ? navigator.userAgent : 'nodejs';

let restoreFetch;
before(() => { restoreFetch = closeConnectionsInGlobalFetch(); });
after(() => restoreFetch?.());

async function setup(t, deviceConfiguration, { totpMode } = {}) {
  const { idp, url } = await emulatorFor(t);
  const { poolId, clientId } = await createPoolAndClient(idp, { DeviceConfiguration: deviceConfiguration },
    { ExplicitAuthFlows: SRP_FLOWS });
  if (totpMode) {
    await idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId, MfaConfiguration: totpMode, SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
  }
  const { pool, storage } = libraryPool(url, poolId, clientId);
  return { idp, url, poolId, clientId, pool, storage };
}

/** Number of logged calls of an operation so far (to look only at what comes after). */
const mark = async (url, op) => (await requestLog(url, op)).length;
const since = async (url, op, from) => (await requestLog(url, op)).slice(from);
const challengeNames = (reqs) => reqs.map((q) => q.input.ChallengeName);

async function adminDevice(idp, poolId, username, deviceKey) {
  const { Device } = await idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey }));
  return { ...Device, attrs: attrMap(Device.DeviceAttributes) };
}

function listDevices(user) {
  return successCallbacks('listDevices', (cb) => user.listDevices(60, null, cb));
}

function rawRefresh(idp, clientId, refreshToken, deviceKey) {
  return idp.send(new InitiateAuthCommand({
    AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
  }));
}

/** Enable TOTP for a signed-in library user (associate, verify with the frozen step's code, prefer). */
async function enableTotp(url, user) {
  const secret = await withTimeout('associateSoftwareToken', (resolve, reject) =>
    user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
  const t0 = await freezeClock(url);
  const verified = await withTimeout('verifySoftwareToken', (resolve, reject) =>
    user.verifySoftwareToken(totp(secret, t0), 'my phone', { onSuccess: resolve, onFailure: reject }));
  assert.equal(verified.Status, 'SUCCESS');
  assert.equal(await nodeCallback('setUserMfaPreference', (cb) =>
    user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, cb)), 'SUCCESS');
  return { secret, t0 };
}

describe('amazon-cognito-identity-js: remembered devices', { timeout: 120_000 }, () => {
  test('always-remember pool: the library confirms the new device, then signs in with the device proof', async (t) => {
    const { idp, url, poolId, clientId, pool, storage } = await setup(t, ALWAYS);
    await createConfirmedUser(idp, poolId, 'dora');

    const first = await authenticate(libraryUser(pool, 'dora'), 'dora', PASSWORD);
    assert.equal(first.kind, 'success');
    assert.equal(first.userConfirmationNecessary, undefined, 'onSuccess(session) without userConfirmationNecessary');
    const cached = cachedDevice(storage, clientId, 'dora');
    assert.match(cached.deviceKey ?? '', DEVICE_KEY_RE, `cached device key: ${cached.deviceKey}`);
    assert.ok(cached.deviceGroupKey, 'deviceGroupKey cached');
    assert.equal(Buffer.from(cached.randomPassword ?? '', 'base64').length, 40, 'the 40-byte device password is cached');
    assert.equal(decodeJwt(first.session.getAccessToken().getJwtToken()).payload.device_key, cached.deviceKey);

    const confirms = await requestLog(url, 'ConfirmDevice');
    assert.equal(confirms.length, 1);
    assert.equal(confirms[0].status, 200);
    assert.equal(confirms[0].input.DeviceKey, cached.deviceKey);
    assert.equal(confirms[0].input.DeviceName, DEVICE_NAME);
    assert.equal(confirms[0].output.UserConfirmationNecessary, false);
    const dev = await adminDevice(idp, poolId, 'dora', cached.deviceKey);
    assert.equal(dev.DeviceKey, cached.deviceKey);
    assert.equal(dev.attrs.device_name, DEVICE_NAME);
    assert.equal(dev.attrs['dev:device_remembered_status'], 'remembered');

    // a second CognitoUser on the same storage: password proof, then the device proof; nothing confirmed again
    const responds = await mark(url, 'RespondToAuthChallenge');
    const user2 = libraryUser(pool, 'dora');
    const second = await authenticate(user2, 'dora', PASSWORD);
    assert.equal(second.kind, 'success');
    const steps = await since(url, 'RespondToAuthChallenge', responds);
    assert.deepEqual(challengeNames(steps), DEVICE_SEQUENCE);
    assert.deepEqual(steps.map((q) => q.status), [200, 200, 200]);
    assert.equal(steps[0].input.ChallengeResponses.DEVICE_KEY, cached.deviceKey, 'the PASSWORD_VERIFIER answer names the device');
    assert.equal(steps[0].output.ChallengeName, 'DEVICE_SRP_AUTH');
    assert.equal(steps[1].output.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
    assert.equal(steps[1].output.ChallengeParameters.DEVICE_KEY, cached.deviceKey);
    assert.equal(steps[2].status, 200);
    assert.equal((await requestLog(url, 'ConfirmDevice')).length, 1, 'no second ConfirmDevice');
    assert.equal(decodeJwt(second.session.getAccessToken().getJwtToken()).payload.device_key, cached.deviceKey);
    assert.deepEqual(cachedDevice(storage, clientId, 'dora'), cached, 'the cache is unchanged');

    // listDevices / getDevice through the library
    const listed = await listDevices(user2);
    assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [cached.deviceKey]);
    assert.equal(attrMap(listed.Devices[0].DeviceAttributes).device_name, DEVICE_NAME);
    const got = await successCallbacks('getDevice', (cb) => user2.getDevice(cb));
    assert.equal(got.Device.DeviceKey, cached.deviceKey);

    // another storage (another browser) is a new device
    const other = libraryPool(url, poolId, clientId, new InspectableStorage());
    const third = await authenticate(libraryUser(other.pool, 'dora'), 'dora', PASSWORD);
    assert.equal(third.kind, 'success');
    const otherKey = cachedDevice(other.storage, clientId, 'dora').deviceKey;
    assert.match(otherKey ?? '', DEVICE_KEY_RE);
    assert.notEqual(otherKey, cached.deviceKey);
    assert.equal((await requestLog(url, 'ConfirmDevice')).length, 2);
    assert.deepEqual((await listDevices(user2)).Devices.map((d) => d.DeviceKey).sort(), [cached.deviceKey, otherKey].sort());
  });

  test('a remembered device skips TOTP MFA; a device forgotten on the server is dropped after "Device does not exist." and MFA is back', async (t) => {
    const { idp, url, poolId, clientId, pool, storage } = await setup(t, ALWAYS, { totpMode: 'OPTIONAL' });
    await createConfirmedUser(idp, poolId, 'eli');
    const user = libraryUser(pool, 'eli');
    assert.equal((await authenticate(user, 'eli', PASSWORD)).kind, 'success');
    const d1 = cachedDevice(storage, clientId, 'eli').deviceKey;
    assert.match(d1 ?? '', DEVICE_KEY_RE);
    const { secret, t0 } = await enableTotp(url, user);

    // the remembered device: no totpRequired, the device proof instead
    let from = await mark(url, 'RespondToAuthChallenge');
    const remembered = await authenticate(libraryUser(pool, 'eli'), 'eli', PASSWORD);
    assert.equal(remembered.kind, 'success', `a remembered device skips MFA (got ${remembered.kind})`);
    assert.deepEqual(challengeNames(await since(url, 'RespondToAuthChallenge', from)), DEVICE_SEQUENCE);

    // a new device (fresh storage) must answer MFA, then is confirmed
    const other = libraryPool(url, poolId, clientId, new InspectableStorage());
    const fresh = libraryUser(other.pool, 'eli');
    const ch = await authenticate(fresh, 'eli', PASSWORD);
    assert.equal(ch.kind, 'totpRequired');
    const freshDone = await sendMFACode(fresh, totp(secret, t0 + 30), 'SOFTWARE_TOKEN_MFA');
    assert.equal(freshDone.kind, 'success');
    const d2 = cachedDevice(other.storage, clientId, 'eli').deviceKey;
    assert.match(d2 ?? '', DEVICE_KEY_RE);
    assert.notEqual(d2, d1);
    // remembered after passing MFA: its next sign-in skips MFA too
    from = await mark(url, 'RespondToAuthChallenge');
    const rememberedAfterMfa = await authenticate(libraryUser(other.pool, 'eli'), 'eli', PASSWORD);
    assert.equal(rememberedAfterMfa.kind, 'success', `a remembered device skips MFA (got ${rememberedAfterMfa.kind})`);
    assert.deepEqual(challengeNames(await since(url, 'RespondToAuthChallenge', from)), DEVICE_SEQUENCE);
    assert.equal(decodeJwt(rememberedAfterMfa.session.getAccessToken().getJwtToken()).payload.device_key, d2);

    // the first device is forgotten on the server; its cache is still there
    await idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'eli', DeviceKey: d1 }));
    assert.equal(cachedDevice(storage, clientId, 'eli').deviceKey, d1);
    from = await mark(url, 'RespondToAuthChallenge');
    const confirmsBefore = await mark(url, 'ConfirmDevice');
    const again = libraryUser(pool, 'eli');
    const mfa = await authenticate(again, 'eli', PASSWORD);
    const steps = await since(url, 'RespondToAuthChallenge', from);
    assert.deepEqual(steps.map((q) => [q.input.ChallengeName, q.status, q.error ?? null]), [
      ['PASSWORD_VERIFIER', 400, 'ResourceNotFoundException'],
      ['PASSWORD_VERIFIER', 200, null],
    ], 'the library retries the same answer without the device');
    assert.equal(steps[0].output.message, 'Device does not exist.');
    assert.equal(steps[0].input.ChallengeResponses.DEVICE_KEY, d1);
    assert.ok(!steps[1].input.ChallengeResponses.DEVICE_KEY, 'the retry carries no device key');
    assert.equal(mfa.kind, 'totpRequired', 'MFA is required again');
    assert.deepEqual(cachedDevice(storage, clientId, 'eli'), { deviceKey: null, deviceGroupKey: null, randomPassword: null });
    await setClock(url, { advance: 30 });
    const done = await sendMFACode(again, totp(secret, t0 + 60), 'SOFTWARE_TOKEN_MFA');
    assert.equal(done.kind, 'success');
    assert.equal((await requestLog(url, 'ConfirmDevice')).length, confirmsBefore + 1, 'a new device is confirmed');
    const d3 = cachedDevice(storage, clientId, 'eli').deviceKey;
    assert.match(d3 ?? '', DEVICE_KEY_RE);
    assert.ok(d3 !== d1 && d3 !== d2);
    assert.deepEqual((await listDevices(again)).Devices.map((d) => d.DeviceKey).sort(), [d2, d3].sort());
    await expectError(idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'eli', DeviceKey: d1 })),
      'ResourceNotFoundException', 'Device does not exist.');
  });

  test('without ChallengeRequiredOnNewDevice: MFA first, then the device proof (sendMFACode → DEVICE_SRP_AUTH)', async (t) => {
    const NO_SKIP = { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false };
    const { idp, url, poolId, clientId, pool, storage } = await setup(t, NO_SKIP, { totpMode: 'OPTIONAL' });
    await createConfirmedUser(idp, poolId, 'fay');
    const user = libraryUser(pool, 'fay');
    assert.equal((await authenticate(user, 'fay', PASSWORD)).kind, 'success');
    const device = cachedDevice(storage, clientId, 'fay').deviceKey;
    assert.match(device ?? '', DEVICE_KEY_RE);
    const { secret, t0 } = await enableTotp(url, user);
    // The remembered device does not stand in for MFA here: the code first, then the device's
    // proof, which the library answers with the session it sent its code with.
    const again = libraryUser(pool, 'fay');
    const from = await mark(url, 'RespondToAuthChallenge');
    assert.equal((await authenticate(again, 'fay', PASSWORD)).kind, 'totpRequired');
    const done = await sendMFACode(again, totp(secret, t0 + 30), 'SOFTWARE_TOKEN_MFA');
    assert.equal(done.kind, 'success');
    const steps = await since(url, 'RespondToAuthChallenge', from);
    assert.deepEqual(steps.map((q) => [q.input.ChallengeName, q.status]), [
      ['PASSWORD_VERIFIER', 200], ['SOFTWARE_TOKEN_MFA', 200], ['DEVICE_SRP_AUTH', 200], ['DEVICE_PASSWORD_VERIFIER', 200],
    ]);
    assert.equal(decodeJwt(done.session.getAccessToken().getJwtToken()).payload.device_key, device);
  });

  test('refreshSession sends the device key; without it the refresh token is refused; forgetDevice clears the cache', async (t) => {
    const { idp, url, poolId, clientId, pool, storage } = await setup(t, ALWAYS);
    await createConfirmedUser(idp, poolId, 'finn');
    const user = libraryUser(pool, 'finn');
    const { session } = await authenticate(user, 'finn', PASSWORD);
    const d1 = cachedDevice(storage, clientId, 'finn').deviceKey;
    assert.match(d1 ?? '', DEVICE_KEY_RE);
    const refreshToken = session.getRefreshToken().getToken();

    const from = await mark(url, 'InitiateAuth');
    const refreshed = await nodeCallback('refreshSession', (cb) => user.refreshSession(session.getRefreshToken(), cb));
    assert.equal(refreshed.isValid(), true);
    assert.equal(refreshed.getAccessToken().payload.device_key, d1);
    assert.equal(refreshed.getRefreshToken().getToken(), refreshToken, 'the refresh token is kept');
    const [call] = await since(url, 'InitiateAuth', from);
    assert.equal(call.input.AuthFlow, 'REFRESH_TOKEN_AUTH');
    assert.equal(call.input.AuthParameters.DEVICE_KEY, d1);
    assert.equal(call.status, 200);

    // the raw protocol: with the device key it works, without it the token is refused
    const ok = await rawRefresh(idp, clientId, refreshToken, d1);
    assert.equal(decodeJwt(ok.AuthenticationResult.AccessToken).payload.device_key, d1);
    await expectError(rawRefresh(idp, clientId, refreshToken), 'NotAuthorizedException', 'Invalid Refresh Token.');

    // forgetDevice: ForgetDevice on the server, the cache cleared, the refresh token bound to it dead
    assert.equal(await successCallbacks('forgetDevice', (cb) => user.forgetDevice(cb)), 'SUCCESS');
    const keys = deviceCacheKeys(clientId, 'finn');
    for (const k of Object.values(keys)) assert.equal(storage.getItem(k), null, `${k} removed`);
    assert.deepEqual((await listDevices(user)).Devices, []);
    await expectError(idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'finn', DeviceKey: d1 })),
      'ResourceNotFoundException', 'Device does not exist.');
    await expectError(rawRefresh(idp, clientId, refreshToken, d1), 'NotAuthorizedException', 'Invalid Refresh Token.');

    // the next sign-in is a new device again
    const respondFrom = await mark(url, 'RespondToAuthChallenge');
    const next = await authenticate(libraryUser(pool, 'finn'), 'finn', PASSWORD);
    assert.equal(next.kind, 'success');
    const steps = await since(url, 'RespondToAuthChallenge', respondFrom);
    assert.deepEqual(challengeNames(steps), ['PASSWORD_VERIFIER']);
    assert.equal(steps[0].input.ChallengeResponses.DEVICE_KEY, undefined);
    const d2 = cachedDevice(storage, clientId, 'finn').deviceKey;
    assert.match(d2 ?? '', DEVICE_KEY_RE);
    assert.notEqual(d2, d1);
    assert.equal((await requestLog(url, 'ConfirmDevice')).length, 2);
  });

  test('opt-in pool: onSuccess(session, true); the device is listed only after setDeviceStatusRemembered', async (t) => {
    const { idp, url, poolId, clientId, pool, storage } = await setup(t, OPT_IN);
    await createConfirmedUser(idp, poolId, 'gia');
    const user = libraryUser(pool, 'gia');
    const first = await authenticate(user, 'gia', PASSWORD);
    assert.equal(first.kind, 'success');
    assert.equal(first.userConfirmationNecessary, true, 'ConfirmDevice answered UserConfirmationNecessary: true');
    const d1 = cachedDevice(storage, clientId, 'gia').deviceKey;
    assert.match(d1 ?? '', DEVICE_KEY_RE);
    const [confirm] = await requestLog(url, 'ConfirmDevice');
    assert.equal(confirm.output.UserConfirmationNecessary, true);

    assert.deepEqual((await listDevices(user)).Devices, [], 'not remembered: ListDevices does not show it');
    const adminList = await idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'gia' }));
    assert.deepEqual(adminList.Devices.map((d) => d.DeviceKey), [d1], 'AdminListDevices shows every confirmed device');
    assert.equal((await adminDevice(idp, poolId, 'gia', d1)).attrs['dev:device_remembered_status'], 'not_remembered');
    const notFound = await rejection(successCallbacks('getDevice', (cb) => user.getDevice(cb)));
    assertLibraryError(notFound, 'ResourceNotFoundException', 'Device does not exist.');

    assert.equal(await successCallbacks('setDeviceStatusRemembered', (cb) => user.setDeviceStatusRemembered(cb)), 'SUCCESS');
    assert.deepEqual((await listDevices(user)).Devices.map((d) => d.DeviceKey), [d1]);
    assert.equal((await adminDevice(idp, poolId, 'gia', d1)).attrs['dev:device_remembered_status'], 'remembered');

    // remembered now: the next sign-in proves it
    const from = await mark(url, 'RespondToAuthChallenge');
    const second = await authenticate(libraryUser(pool, 'gia'), 'gia', PASSWORD);
    assert.equal(second.kind, 'success');
    assert.equal(second.userConfirmationNecessary, undefined);
    assert.deepEqual(challengeNames(await since(url, 'RespondToAuthChallenge', from)), DEVICE_SEQUENCE);
    assert.equal((await requestLog(url, 'ConfirmDevice')).length, 1);

    // and back to not remembered
    assert.equal(await successCallbacks('setDeviceStatusNotRemembered', (cb) => user.setDeviceStatusNotRemembered(cb)), 'SUCCESS');
    assert.deepEqual((await listDevices(user)).Devices, []);
    assert.equal((await adminDevice(idp, poolId, 'gia', d1)).attrs['dev:device_remembered_status'], 'not_remembered');
  });
});
