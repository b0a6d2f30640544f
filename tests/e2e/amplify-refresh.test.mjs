// Amplify v6 token refresh (fetchAuthSession({forceRefresh: true}) → GetTokensFromRefreshToken)
// against the emulator: new tokens with the same auth_time, the refresh token kept without
// rotation, expiry on the EMULATOR clock, and refresh token rotation (Amplify stores each new
// refresh token; the previous one is refused). Amplify judges expiry on its own clock (with the
// drift it measured at sign-in), so every refresh here is forced.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { signIn, fetchAuthSession } from 'aws-amplify/auth';
import {
  GetUserCommand, GetTokensFromRefreshTokenCommand, InitiateAuthCommand, DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createPool, createClient, createConfirmedUser, decodeJwt, expectError, setClock, getClock, PASSWORD,
} from './support/idp.mjs';
import { amplifySuite, configureAmplify, resetAmplify, requestHistory } from './support/amplify.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
// The clock moves forward in this file while Amplify stamps SRP proofs with the machine clock.
const s = amplifySuite({ before, after, args: ['--max-clock-skew', '0'] });
afterEach(resetAmplify);

async function signedIn(username, clientInput = {}) {
  const pool = await createPool(s.idp);
  const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: FLOWS, ...clientInput });
  await createConfirmedUser(s.idp, pool.Id, username);
  const storage = configureAmplify(s.url, pool.Id, client.ClientId);
  assert.deepEqual(await signIn({ username, password: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const { tokens } = await fetchAuthSession();
  return {
    poolId: pool.Id, clientId: client.ClientId, storage,
    access: tokens.accessToken.toString(), id: tokens.idToken.toString(),
    refresh: storage.find('.refreshToken'),
  };
}

async function forceRefresh() {
  const { tokens } = await fetchAuthSession({ forceRefresh: true });
  assert.ok(tokens?.accessToken, 'the refresh gave Amplify tokens');
  return { access: tokens.accessToken.toString(), id: tokens.idToken.toString() };
}

const claims = (jwt) => decodeJwt(jwt).payload;
/** This client's GetTokensFromRefreshToken calls, newest first. */
const refreshCalls = async (clientId) =>
  (await requestHistory(s.url, 'GetTokensFromRefreshToken')).filter((r) => r.input.ClientId === clientId);
const getUser = (accessToken) => s.idp.send(new GetUserCommand({ AccessToken: accessToken }));

describe('Amplify v6 token refresh', { concurrency: false }, () => {
  test('forceRefresh: GetTokensFromRefreshToken gives new tokens (new iat/jti, same auth_time); the refresh token is kept', async () => {
    const first = await signedIn('amp-refresh');
    assert.ok(first.refresh);
    const a0 = claims(first.access);
    const i0 = claims(first.id);
    await setClock(s.url, { advance: 5 }); // a later iat than the sign-in's

    const next = await forceRefresh();
    const a1 = claims(next.access);
    const i1 = claims(next.id);
    assert.notEqual(next.access, first.access);
    assert.notEqual(a1.jti, a0.jti);
    assert.notEqual(i1.jti, i0.jti);
    assert.ok(a1.iat >= a0.iat + 5, `new iat ${a1.iat} vs ${a0.iat}`);
    assert.equal(a1.exp - a1.iat, 3600);
    assert.equal(a1.auth_time, a0.auth_time);
    assert.equal(i1.auth_time, i0.auth_time);
    assert.equal(a1.origin_jti, a0.origin_jti, 'same sign-in session');
    assert.equal(a1.username, 'amp-refresh');
    assert.equal(first.storage.find('.refreshToken'), first.refresh, 'no rotation: the same refresh token stays stored');
    assert.equal(first.storage.find('.accessToken'), next.access);

    const calls = await refreshCalls(first.clientId);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].status, 200);
    assert.ok(calls[0].output.AuthenticationResult.AccessToken, 'an access token came back');
    assert.equal(calls[0].output.AuthenticationResult.RefreshToken, undefined, 'no RefreshToken without rotation');
    assert.equal((await getUser(next.access)).Username, 'amp-refresh');
    assert.equal((await getUser(first.access)).Username, 'amp-refresh', 'the old access token is still valid');

    // A second forced refresh works with the same (kept) refresh token.
    const third = await forceRefresh();
    assert.notEqual(claims(third.access).jti, a1.jti);
    assert.equal((await refreshCalls(first.clientId)).length, 2);
  });

  test('after an hour on the emulator clock the old access token is expired; forceRefresh gives a working one', async () => {
    const first = await signedIn('amp-expire');
    assert.equal((await getUser(first.access)).Username, 'amp-expire');
    const { now } = await setClock(s.url, { advance: 3700 });

    await expectError(getUser(first.access), 'NotAuthorizedException', 'Access Token has expired');
    const next = await forceRefresh();
    const a1 = claims(next.access);
    assert.ok(a1.iat >= Math.floor(now), `iat ${a1.iat} on the emulator clock (${now})`);
    assert.ok(a1.exp > (await getClock(s.url)).now);
    assert.equal(a1.auth_time, claims(first.access).auth_time);
    assert.equal((await getUser(next.access)).Username, 'amp-expire');
  });

  test('rotation ENABLED (grace 0): Amplify stores each new refresh token, and the previous one is refused', async () => {
    const rotation = { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 };
    const first = await signedIn('amp-rotate', { RefreshTokenRotation: rotation });
    const { UserPoolClient } = await s.idp.send(new DescribeUserPoolClientCommand({
      UserPoolId: first.poolId, ClientId: first.clientId,
    }));
    assert.deepEqual(UserPoolClient.RefreshTokenRotation, rotation);
    const r0 = first.refresh;
    assert.ok(r0);

    const t1 = await forceRefresh();
    const r1 = first.storage.find('.refreshToken');
    assert.ok(r1 && r1 !== r0, 'Amplify stored the rotated refresh token');
    const [call] = await refreshCalls(first.clientId);
    assert.equal(call.status, 200);
    assert.ok(call.output.AuthenticationResult.RefreshToken, 'the answer carried a new refresh token');
    assert.equal((await getUser(t1.access)).Username, 'amp-rotate');
    assert.equal(claims(t1.access).auth_time, claims(first.access).auth_time);

    await expectError(s.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: first.clientId, RefreshToken: r0 })),
      'RefreshTokenReuseException');

    const t2 = await forceRefresh();
    const r2 = first.storage.find('.refreshToken');
    assert.ok(r2 && r2 !== r1 && r2 !== r0);
    assert.notEqual(claims(t2.access).jti, claims(t1.access).jti);
    await expectError(s.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: first.clientId, RefreshToken: r1 })),
      'RefreshTokenReuseException');
    // The old flow is refused on a rotating client.
    await expectError(s.idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: first.clientId, AuthParameters: { REFRESH_TOKEN: r2 },
    })), 'InvalidParameterException');
    // The newest one is still Amplify's working token.
    const t3 = await forceRefresh();
    assert.equal((await getUser(t3.access)).Username, 'amp-rotate');
    assert.deepEqual((await refreshCalls(first.clientId)).map((r) => r.status), [200, 400, 200, 400, 200]);
  });
});
