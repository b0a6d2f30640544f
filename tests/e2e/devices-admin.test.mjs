// Device tracking through the AWS SDK for JavaScript v3: NewDeviceMetadata at an
// ADMIN_USER_PASSWORD_AUTH sign-in, ConfirmDevice with a verifier computed as
// amazon-cognito-identity-js computes it, the admin calls (AdminGetDevice attributes,
// AdminListDevices pages, AdminUpdateDeviceStatus, AdminForgetDevice), the user's calls with the
// access token (GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice), and refresh tokens
// bound to a device.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfirmDeviceCommand, AdminGetDeviceCommand, AdminListDevicesCommand, AdminUpdateDeviceStatusCommand,
  AdminForgetDeviceCommand, GetDeviceCommand, ListDevicesCommand, UpdateDeviceStatusCommand, ForgetDeviceCommand,
  GetTokensFromRefreshTokenCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, adminPasswordAuth, expectError, decodeJwt, attrMap, PASSWORD,
} from './support/idp.mjs';
import { body } from './support/mfa.mjs';
import { deviceVerifier } from './support/srp.mjs';

const ADMIN_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const DEVICE_KEY_RE = /^us-east-1_[0-9a-f-]{36}$/;
const NO_DEVICE = 'ResourceNotFoundException';
const INVALID = 'Invalid Refresh Token.';
const ATTRIBUTE_NAMES = [
  'dev:device_arn', 'dev:device_owner', 'dev:device_remembered_status', 'dev:device_sdk',
  'device_name', 'device_status', 'last_ip_used',
];

/** A device-tracking pool (opt-in remembering unless `always`), a client and user 'dana'. */
async function devicePool(idp, { always = false } = {}) {
  const { poolId, clientId } = await createPoolAndClient(idp, {
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: !always },
  }, { ExplicitAuthFlows: ADMIN_FLOWS });
  await createConfirmedUser(idp, poolId, 'dana');
  return { poolId, clientId };
}

/** Sign in (a new device each time); returns the tokens and NewDeviceMetadata. */
async function signIn(idp, poolId, clientId) {
  const res = await adminPasswordAuth(idp, poolId, clientId, 'dana', PASSWORD);
  const r = res.AuthenticationResult;
  assert.ok(r?.NewDeviceMetadata, `NewDeviceMetadata in ${JSON.stringify(Object.keys(r || {}))}`);
  return r;
}

/** ConfirmDevice with a real SRP verifier; returns the response. */
async function confirm(idp, tokens, name = 'laptop') {
  const { DeviceKey, DeviceGroupKey } = tokens.NewDeviceMetadata;
  const { config } = deviceVerifier(DeviceGroupKey, DeviceKey);
  return idp.send(new ConfirmDeviceCommand({
    AccessToken: tokens.AccessToken, DeviceKey, DeviceName: name, DeviceSecretVerifierConfig: config,
  }));
}

const adminGet = (idp, poolId, key) => idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'dana', DeviceKey: key }));
const adminList = (idp, poolId, extra = {}) => idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dana', ...extra }));
const refresh = (idp, input) => idp.send(new GetTokensFromRefreshTokenCommand(input));

describe('devices: admin view', { timeout: 60_000 }, () => {
  test('NewDeviceMetadata, ConfirmDevice and AdminGetDevice\'s seven attributes', async (t) => {
    const { idp, emu } = await emulatorFor(t);
    const { poolId, clientId } = await devicePool(idp);
    const tokens = await signIn(idp, poolId, clientId);
    const { DeviceKey, DeviceGroupKey } = tokens.NewDeviceMetadata;
    assert.match(DeviceKey, DEVICE_KEY_RE);
    assert.equal(typeof DeviceGroupKey, 'string');
    assert.ok(DeviceGroupKey.length > 0);
    assert.equal(decodeJwt(tokens.AccessToken).payload.device_key, DeviceKey, 'the access token carries device_key');

    // not confirmed yet: not listed
    assert.deepEqual((await adminList(idp, poolId)).Devices, []);

    const c = await confirm(idp, tokens, 'laptop');
    assert.equal(c.UserConfirmationNecessary, true, 'opt-in pool: the user must confirm remembering');
    const { Device } = await adminGet(idp, poolId, DeviceKey);
    assert.equal(Device.DeviceKey, DeviceKey);
    const names = Device.DeviceAttributes.map((a) => a.Name).sort();
    assert.deepEqual(names, ATTRIBUTE_NAMES);
    const a = attrMap(Device.DeviceAttributes);
    assert.equal(a.device_status, 'valid');
    assert.equal(a.device_name, 'laptop');
    assert.equal(a['dev:device_owner'], `dana.${poolId}`);
    assert.equal(a['dev:device_arn'], `arn:aws:cognito-idp:us-east-1:000000000000:owner/dana.${poolId}/device/${DeviceKey}`);
    assert.equal(a['dev:device_remembered_status'], 'not_remembered');
    assert.ok(a['dev:device_sdk'].length > 0, 'dev:device_sdk is set');
    assert.match(a.last_ip_used, /^[0-9a-f.:]+$/i);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(emu.host)) assert.equal(a.last_ip_used, emu.host, 'last_ip_used is the caller\'s address');
    assert.ok(Device.DeviceCreateDate instanceof Date && !Number.isNaN(Device.DeviceCreateDate.getTime()));
    assert.ok(Device.DeviceLastModifiedDate instanceof Date);

    // a second ConfirmDevice of the same key
    await expectError(confirm(idp, tokens, 'again'), 'DeviceKeyExistsException');
    assert.equal(attrMap((await adminGet(idp, poolId, DeviceKey)).Device.DeviceAttributes).device_name, 'laptop');
  });

  test('an always-remember pool confirms without user confirmation and remembers at once', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await devicePool(idp, { always: true });
    const tokens = await signIn(idp, poolId, clientId);
    const c = await confirm(idp, tokens);
    assert.equal(c.UserConfirmationNecessary, false);
    const a = attrMap((await adminGet(idp, poolId, tokens.NewDeviceMetadata.DeviceKey)).Device.DeviceAttributes);
    assert.equal(a['dev:device_remembered_status'], 'remembered');
  });

  test('AdminListDevices pages with Limit 1; unconfirmed devices are not listed; AdminUpdateDeviceStatus; AdminForgetDevice', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await devicePool(idp);
    const d1 = await signIn(idp, poolId, clientId);
    const d2 = await signIn(idp, poolId, clientId);
    const d3 = await signIn(idp, poolId, clientId); // never confirmed
    assert.notEqual(d1.NewDeviceMetadata.DeviceKey, d2.NewDeviceMetadata.DeviceKey);
    await confirm(idp, d1, 'one');
    await confirm(idp, d2, 'two');
    const keys = [d1, d2].map((d) => d.NewDeviceMetadata.DeviceKey).sort();

    const page1 = await adminList(idp, poolId, { Limit: 1 });
    assert.equal(page1.Devices.length, 1);
    assert.equal(typeof page1.PaginationToken, 'string', 'a PaginationToken for the next page');
    const page2 = await adminList(idp, poolId, { Limit: 1, PaginationToken: page1.PaginationToken });
    assert.equal(page2.Devices.length, 1);
    assert.equal(page2.PaginationToken, undefined, 'no token after the last page');
    assert.deepEqual([page1.Devices[0].DeviceKey, page2.Devices[0].DeviceKey].sort(), keys);
    const all = await adminList(idp, poolId);
    assert.deepEqual(all.Devices.map((d) => d.DeviceKey).sort(), keys);
    assert.ok(!all.Devices.some((d) => d.DeviceKey === d3.NewDeviceMetadata.DeviceKey), 'the unconfirmed device is not listed');

    const k1 = d1.NewDeviceMetadata.DeviceKey;
    assert.deepEqual(body(await idp.send(new AdminUpdateDeviceStatusCommand({
      UserPoolId: poolId, Username: 'dana', DeviceKey: k1, DeviceRememberedStatus: 'remembered',
    }))), {});
    assert.equal(attrMap((await adminGet(idp, poolId, k1)).Device.DeviceAttributes)['dev:device_remembered_status'], 'remembered');
    await idp.send(new AdminUpdateDeviceStatusCommand({
      UserPoolId: poolId, Username: 'dana', DeviceKey: k1, DeviceRememberedStatus: 'not_remembered',
    }));
    assert.equal(attrMap((await adminGet(idp, poolId, k1)).Device.DeviceAttributes)['dev:device_remembered_status'], 'not_remembered');

    assert.deepEqual(body(await idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'dana', DeviceKey: k1 }))), {});
    await expectError(adminGet(idp, poolId, k1), NO_DEVICE);
    assert.deepEqual((await adminList(idp, poolId)).Devices.map((d) => d.DeviceKey), [d2.NewDeviceMetadata.DeviceKey]);
    await expectError(idp.send(new AdminUpdateDeviceStatusCommand({
      UserPoolId: poolId, Username: 'dana', DeviceKey: k1, DeviceRememberedStatus: 'remembered',
    })), NO_DEVICE);
    await expectError(idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'dana', DeviceKey: k1 })), NO_DEVICE);
    await expectError(adminList(idp, poolId, { Username: 'ghost' }), 'UserNotFoundException');
  });
});

describe('devices: the user\'s calls and refresh', { timeout: 60_000 }, () => {
  test('GetDevice / ListDevices show remembered devices; UpdateDeviceStatus; ForgetDevice', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await devicePool(idp);
    const tokens = await signIn(idp, poolId, clientId);
    const key = tokens.NewDeviceMetadata.DeviceKey;
    const AccessToken = tokens.AccessToken;
    await confirm(idp, tokens, 'phone');

    // confirmed but not remembered (opt-in pool): invisible to the user's calls
    assert.deepEqual((await idp.send(new ListDevicesCommand({ AccessToken }))).Devices, []);
    await expectError(idp.send(new GetDeviceCommand({ AccessToken, DeviceKey: key })), NO_DEVICE);

    assert.deepEqual(body(await idp.send(new UpdateDeviceStatusCommand({
      AccessToken, DeviceKey: key, DeviceRememberedStatus: 'remembered',
    }))), {});
    const listed = await idp.send(new ListDevicesCommand({ AccessToken }));
    assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [key]);
    const { Device } = await idp.send(new GetDeviceCommand({ AccessToken, DeviceKey: key }));
    const a = attrMap(Device.DeviceAttributes);
    assert.equal(a.device_name, 'phone');
    assert.equal(a['dev:device_remembered_status'], 'remembered');

    await idp.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey: key, DeviceRememberedStatus: 'not_remembered' }));
    assert.deepEqual((await idp.send(new ListDevicesCommand({ AccessToken }))).Devices, []);
    assert.equal(attrMap((await adminGet(idp, poolId, key)).Device.DeviceAttributes)['dev:device_remembered_status'], 'not_remembered');

    assert.deepEqual(body(await idp.send(new ForgetDeviceCommand({ AccessToken, DeviceKey: key }))), {});
    await expectError(idp.send(new GetDeviceCommand({ AccessToken, DeviceKey: key })), NO_DEVICE);
    await expectError(adminGet(idp, poolId, key), NO_DEVICE);
    await expectError(idp.send(new UpdateDeviceStatusCommand({
      AccessToken, DeviceKey: key, DeviceRememberedStatus: 'remembered',
    })), NO_DEVICE);
    assert.deepEqual((await adminList(idp, poolId)).Devices, []);
  });

  test('refresh tokens of a confirmed device need its key and die with the device', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await devicePool(idp, { always: true });
    const tokens = await signIn(idp, poolId, clientId);
    const key = tokens.NewDeviceMetadata.DeviceKey;
    await confirm(idp, tokens);

    const ok = await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken, DeviceKey: key });
    assert.equal(decodeJwt(ok.AuthenticationResult.AccessToken).payload.device_key, key);
    assert.equal(ok.AuthenticationResult.NewDeviceMetadata, undefined, 'no new device on refresh');
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken }), 'NotAuthorizedException', INVALID);
    const viaAuth = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken, DEVICE_KEY: key },
    }));
    assert.equal(decodeJwt(viaAuth.AuthenticationResult.AccessToken).payload.device_key, key);
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    })), 'NotAuthorizedException', INVALID);

    await idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'dana', DeviceKey: key }));
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken, DeviceKey: key }),
      'NotAuthorizedException', INVALID);
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken, DEVICE_KEY: key },
    })), 'NotAuthorizedException', INVALID);

    // a device forgotten by the user with ForgetDevice: the same
    const other = await signIn(idp, poolId, clientId);
    const otherKey = other.NewDeviceMetadata.DeviceKey;
    await confirm(idp, other);
    await refresh(idp, { ClientId: clientId, RefreshToken: other.RefreshToken, DeviceKey: otherKey });
    await idp.send(new ForgetDeviceCommand({ AccessToken: other.AccessToken, DeviceKey: otherKey }));
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: other.RefreshToken, DeviceKey: otherKey }),
      'NotAuthorizedException', INVALID);
  });
});
