// Refresh through the AWS SDK for JavaScript v3: GetTokensFromRefreshToken with and without
// refresh-token rotation (grace period, reuse, original expiry), client secrets, the
// RefreshTokenRotation client setting, REFRESH_TOKEN_AUTH on a rotating client, and global
// sign-out. Time moves only on the emulator clock.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetTokensFromRefreshTokenCommand, InitiateAuthCommand, AdminInitiateAuthCommand, GetUserCommand,
  GlobalSignOutCommand, DescribeUserPoolClientCommand, UpdateUserPoolClientCommand, CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPool, createClient, createPoolAndClient, createConfirmedUser, adminPasswordAuth,
  expectError, setClock, decodeJwt, secretHash, PASSWORD,
} from './support/idp.mjs';
import { body } from './support/mfa.mjs';

const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const INVALID = 'Invalid Refresh Token.';
const ADMIN_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ROTATION_30 = { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 };

const refresh = (idp, input) => idp.send(new GetTokensFromRefreshTokenCommand(input));

/** A pool, a client (extra client input), user 'rita' signed in with ADMIN_USER_PASSWORD_AUTH. */
async function signedIn(idp, clientInput = {}, username = 'rita') {
  const { poolId, clientId, client } = await createPoolAndClient(idp, {}, { ExplicitAuthFlows: ADMIN_FLOWS, ...clientInput });
  await createConfirmedUser(idp, poolId, username);
  const extra = client.ClientSecret ? { SECRET_HASH: secretHash(client.ClientSecret, username, clientId) } : {};
  const res = await adminPasswordAuth(idp, poolId, clientId, username, PASSWORD, extra);
  assert.ok(res.AuthenticationResult?.RefreshToken, 'sign-in returned a refresh token');
  return { poolId, clientId, client, tokens: res.AuthenticationResult };
}

describe('GetTokensFromRefreshToken', { timeout: 60_000 }, () => {
  test('without rotation: new ID and access tokens, no RefreshToken, same auth_time, new iat', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { clientId, tokens } = await signedIn(idp, {
      AccessTokenValidity: 30, IdTokenValidity: 2, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours' },
    });
    const before = decodeJwt(tokens.AccessToken).payload;
    const beforeId = decodeJwt(tokens.IdToken).payload;
    await setClock(url, { advance: 120 });
    const res = await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken });
    const r = res.AuthenticationResult;
    assert.ok(r, 'AuthenticationResult present');
    assert.equal('RefreshToken' in r, false, `no RefreshToken member without rotation: ${JSON.stringify(Object.keys(r))}`);
    assert.match(r.AccessToken, JWT_RE);
    assert.match(r.IdToken, JWT_RE);
    assert.equal(r.TokenType, 'Bearer');
    assert.equal(r.ExpiresIn, 1800, 'ExpiresIn is the client\'s access-token lifetime (30 minutes)');
    assert.equal(r.NewDeviceMetadata, undefined);
    const access = decodeJwt(r.AccessToken).payload;
    const id = decodeJwt(r.IdToken).payload;
    assert.ok(access.iat >= before.iat + 120, `new iat (${access.iat}) is at least 120 s after ${before.iat}`);
    assert.equal(access.exp - access.iat, 1800);
    assert.equal(id.exp - id.iat, 7200);
    assert.equal(access.auth_time, before.auth_time, 'access auth_time kept');
    assert.equal(id.auth_time, beforeId.auth_time, 'ID auth_time kept');
    assert.equal(access.username, 'rita');
    assert.equal(access.sub, before.sub);
    assert.equal(id.aud, clientId);
    assert.notEqual(r.AccessToken, tokens.AccessToken);
    // the refreshed access token works, and the same refresh token keeps working (no rotation)
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: r.AccessToken }))).Username, 'rita');
    const again = await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken });
    assert.equal(again.AuthenticationResult.RefreshToken, undefined);
    assert.match(again.AuthenticationResult.AccessToken, JWT_RE);
  });

  test('a client with a secret requires the right ClientSecret', async (t) => {
    const { idp } = await emulatorFor(t);
    const { clientId, client, tokens } = await signedIn(idp, { GenerateSecret: true });
    assert.ok(client.ClientSecret, 'the client has a secret');
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken }), 'NotAuthorizedException');
    await expectError(refresh(idp, {
      ClientId: clientId, RefreshToken: tokens.RefreshToken, ClientSecret: 'x'.repeat(51),
    }), 'NotAuthorizedException');
    const ok = await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken, ClientSecret: client.ClientSecret });
    assert.equal(decodeJwt(ok.AuthenticationResult.AccessToken).payload.client_id, clientId);
  });

  test('a garbage token, or one of another client, is "Invalid Refresh Token."', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId, tokens } = await signedIn(idp);
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: 'garbage' }), 'NotAuthorizedException', INVALID);
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken.slice(0, -4) + 'AAAA' }),
      'NotAuthorizedException', INVALID);
    const other = await createClient(idp, poolId, { ExplicitAuthFlows: ADMIN_FLOWS });
    await expectError(refresh(idp, { ClientId: other.ClientId, RefreshToken: tokens.RefreshToken }),
      'NotAuthorizedException', INVALID);
    // the token itself is fine
    await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken });
  });
});

describe('refresh-token rotation', { timeout: 60_000 }, () => {
  test('a new refresh token each time; the old one gets the same replacement for 30 s, then RefreshTokenReuseException', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { clientId, tokens } = await signedIn(idp, { RefreshTokenRotation: ROTATION_30 });
    const r0 = tokens.RefreshToken;
    const authTime = decodeJwt(tokens.AccessToken).payload.auth_time;
    await setClock(url, { advance: 5 });
    const first = (await refresh(idp, { ClientId: clientId, RefreshToken: r0 })).AuthenticationResult;
    const r1 = first.RefreshToken;
    assert.equal(typeof r1, 'string', 'rotation returns a RefreshToken');
    assert.notEqual(r1, r0, 'a new refresh token');
    assert.ok(r1.length > 20);
    assert.equal(decodeJwt(first.AccessToken).payload.auth_time, authTime);

    // a retry with the old token inside the grace period converges on the same replacement
    await setClock(url, { advance: 29 });
    const retry = (await refresh(idp, { ClientId: clientId, RefreshToken: r0 })).AuthenticationResult;
    assert.equal(retry.RefreshToken, r1, 'the same replacement inside the grace period');
    assert.notEqual(retry.AccessToken, first.AccessToken, 'fresh access token on the retry');
    assert.ok(decodeJwt(retry.AccessToken).payload.iat >= decodeJwt(first.AccessToken).payload.iat + 29);

    // 31 s after the rotation the old token is refused
    await setClock(url, { advance: 2 });
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: r0 }), 'RefreshTokenReuseException');

    // the replacement keeps working (and rotates in turn)
    const second = (await refresh(idp, { ClientId: clientId, RefreshToken: r1 })).AuthenticationResult;
    assert.equal(typeof second.RefreshToken, 'string');
    assert.notEqual(second.RefreshToken, r1);
    assert.notEqual(second.RefreshToken, r0);
    assert.equal(decodeJwt(second.AccessToken).payload.auth_time, authTime, 'auth_time is kept across rotations');
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: second.AccessToken }))).Username, 'rita');
    const third = (await refresh(idp, { ClientId: clientId, RefreshToken: second.RefreshToken })).AuthenticationResult;
    assert.equal(typeof third.RefreshToken, 'string');
  });

  test('rotated tokens keep the original expiry (RefreshTokenValidity 1 hour)', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { clientId, tokens } = await signedIn(idp, {
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      RefreshTokenValidity: 1, TokenValidityUnits: { RefreshToken: 'hours' },
    });
    await setClock(url, { advance: 1800 });
    const r1 = (await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken })).AuthenticationResult.RefreshToken;
    assert.equal(typeof r1, 'string');
    // grace period 0: the submitted token is spent at once
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken }), 'RefreshTokenReuseException');
    await setClock(url, { advance: 1799 }); // 3599 s after the sign-in
    const r2 = (await refresh(idp, { ClientId: clientId, RefreshToken: r1 })).AuthenticationResult.RefreshToken;
    assert.equal(typeof r2, 'string');
    await setClock(url, { advance: 2 }); // 3601 s after the sign-in, 2 s after r2 was issued
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: r2 }), 'NotAuthorizedException');
  });

  test('REFRESH_TOKEN_AUTH is refused on a rotating client; the token still works with GetTokensFromRefreshToken', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId, tokens } = await signedIn(idp, { RefreshTokenRotation: ROTATION_30 });
    await expectError(idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    })), 'InvalidParameterException');
    await expectError(idp.send(new AdminInitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', UserPoolId: poolId, ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    })), 'InvalidParameterException');
    const r = (await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken })).AuthenticationResult;
    assert.equal(typeof r.RefreshToken, 'string');
    assert.match(r.AccessToken, JWT_RE);

    // the same flows on a client without rotation do work (the refusal is about rotation)
    const plain = await createClient(idp, poolId, { ExplicitAuthFlows: ADMIN_FLOWS });
    const signIn = await adminPasswordAuth(idp, poolId, plain.ClientId, 'rita', PASSWORD);
    const viaAuth = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: plain.ClientId,
      AuthParameters: { REFRESH_TOKEN: signIn.AuthenticationResult.RefreshToken },
    }));
    assert.match(viaAuth.AuthenticationResult.AccessToken, JWT_RE);
  });

  test('RefreshTokenRotation on Describe/Update/CreateUserPoolClient', async (t) => {
    const { idp } = await emulatorFor(t);
    const pool = await createPool(idp);
    const client = await createClient(idp, pool.Id, { ExplicitAuthFlows: ADMIN_FLOWS });
    const described = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId })))
      .UserPoolClient;
    assert.equal(described.RefreshTokenRotation?.Feature, 'DISABLED', JSON.stringify(described.RefreshTokenRotation));
    assert.ok(!described.RefreshTokenRotation.RetryGracePeriodSeconds, 'no grace period when never set');

    const updated = (await idp.send(new UpdateUserPoolClientCommand({
      UserPoolId: pool.Id, ClientId: client.ClientId, ExplicitAuthFlows: ADMIN_FLOWS,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 45 },
    }))).UserPoolClient;
    assert.deepEqual(updated.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 45 });
    const again = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId })))
      .UserPoolClient;
    assert.deepEqual(again.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 45 });

    // the setting takes effect: the client now rotates
    await createConfirmedUser(idp, pool.Id, 'rita');
    const signIn = await adminPasswordAuth(idp, pool.Id, client.ClientId, 'rita', PASSWORD);
    const r = await refresh(idp, { ClientId: client.ClientId, RefreshToken: signIn.AuthenticationResult.RefreshToken });
    assert.equal(typeof r.AuthenticationResult.RefreshToken, 'string', 'rotation after UpdateUserPoolClient');

    // created with it
    const created = (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.Id, ClientName: 'rot', RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    }))).UserPoolClient;
    assert.equal(created.RefreshTokenRotation?.Feature, 'ENABLED');
    assert.ok(!created.RefreshTokenRotation.RetryGracePeriodSeconds);

    // RetryGracePeriodSeconds is 0..60
    const e1 = await expectError(idp.send(new UpdateUserPoolClientCommand({
      UserPoolId: pool.Id, ClientId: client.ClientId,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 },
    })), 'InvalidParameterException');
    assert.match(e1.message, /retryGracePeriodSeconds|RetryGracePeriodSeconds/);
    await expectError(idp.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.Id, ClientName: 'bad', RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 },
    })), 'InvalidParameterException');
    // the failed update changed nothing
    const still = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId })))
      .UserPoolClient;
    assert.deepEqual(still.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 45 });
  });

  test('GlobalSignOut revokes rotated refresh tokens too', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { clientId, tokens } = await signedIn(idp, { RefreshTokenRotation: ROTATION_30 });
    await setClock(url, { advance: 5 });
    const rotated = (await refresh(idp, { ClientId: clientId, RefreshToken: tokens.RefreshToken })).AuthenticationResult;
    await setClock(url, { advance: 5 });
    assert.deepEqual(body(await idp.send(new GlobalSignOutCommand({ AccessToken: rotated.AccessToken }))), {});
    await expectError(refresh(idp, { ClientId: clientId, RefreshToken: rotated.RefreshToken }),
      'NotAuthorizedException', 'Refresh Token has been revoked');
    await expectError(idp.send(new GetUserCommand({ AccessToken: rotated.AccessToken })),
      'NotAuthorizedException', 'Access Token has been revoked');
  });
});
