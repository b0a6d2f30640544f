// Amplify v6 (aws-amplify) signIn / signOut against the emulator's user pool.
// Amplify's signOut() swallows every service error, so "it returned" proves nothing: each test
// checks the effect on the emulator instead (the refresh token Amplify held is revoked, its
// access token is refused, the request history shows the call answered 200).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { signIn, signOut, getCurrentUser, fetchAuthSession } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startEmulator, idpClient } from './harness.mjs';
import {
  createPoolAndClient, createConfirmedUser, expectError, httpRequest, closeConnectionsInGlobalFetch,
  decodeJwt, PASSWORD,
} from './support/idp.mjs';
import { MapStorage } from './support/amplify.mjs';

let emu;
let idp;
let restoreFetch;
before(async () => {
  restoreFetch = closeConnectionsInGlobalFetch();  // lets the emulator stop promptly
  emu = await startEmulator();
  idp = idpClient(emu.url);
});
after(async () => {
  idp.destroy();
  await emu.stop();
  restoreFetch();
});

async function signedIn(username, clientInput = {}) {
  const { poolId, clientId } = await createPoolAndClient(idp, {}, clientInput);
  await createConfirmedUser(idp, poolId, username);
  Amplify.configure({
    Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: emu.url } },
  });
  const storage = new MapStorage();
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  const result = await signIn({ username, password: PASSWORD, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  assert.equal(result.isSignedIn, true);
  assert.equal(result.nextStep.signInStep, 'DONE');
  const { tokens } = await fetchAuthSession();
  const accessToken = tokens.accessToken.toString();
  const refreshToken = storage.find('.refreshToken');
  assert.ok(refreshToken, 'Amplify stored a refresh token');
  return { poolId, clientId, accessToken, refreshToken, storage };
}

const refresh = (clientId, token) => idp.send(new InitiateAuthCommand({
  AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token },
}));
const history = async (operation) =>
  (await httpRequest(emu.url, { path: `/_emulator/requests?operation=${operation}` })).json.requests;

describe('Amplify v6 signOut', () => {
  test('signOut() revokes the session with RevokeToken: its refresh and access tokens stop working', async () => {
    const { clientId, accessToken, refreshToken } = await signedIn('amp-local');
    assert.ok(decodeJwt(accessToken).payload.origin_jti, 'Amplify only calls RevokeToken when origin_jti is present');
    assert.equal((await getCurrentUser()).username, 'amp-local');
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: accessToken }))).Username, 'amp-local');

    await signOut();

    const calls = await history('RevokeToken');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].status, 200);
    await assert.rejects(getCurrentUser(), (e) => e.name === 'UserUnAuthenticatedException');
    await expectError(refresh(clientId, refreshToken), 'NotAuthorizedException', 'Refresh Token has been revoked');
    await expectError(idp.send(new GetUserCommand({ AccessToken: accessToken })),
      'NotAuthorizedException', 'Access Token has been revoked');
  });

  test('signOut({ global: true }) calls GlobalSignOut: every session of the user ends', async () => {
    const { clientId, accessToken, refreshToken } = await signedIn('amp-global');
    // A second session of the same user, outside Amplify.
    const other = (await refresh(clientId, refreshToken)).AuthenticationResult;

    await signOut({ global: true });

    const calls = await history('GlobalSignOut');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].status, 200);
    await assert.rejects(getCurrentUser(), (e) => e.name === 'UserUnAuthenticatedException');
    for (const token of [accessToken, other.AccessToken]) {
      await expectError(idp.send(new GetUserCommand({ AccessToken: token })),
        'NotAuthorizedException', 'Access Token has been revoked');
    }
    await expectError(refresh(clientId, refreshToken), 'NotAuthorizedException', 'Refresh Token has been revoked');
  });
});
