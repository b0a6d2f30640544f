// Sign-out and revocation through the AWS SDK v3: GlobalSignOut, AdminUserGlobalSignOut,
// RevokeToken (public and secret clients, revocation disabled), and AdminDisableUser revoking
// the access tokens issued so far.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  GlobalSignOutCommand, AdminUserGlobalSignOutCommand, RevokeTokenCommand, GetUserCommand,
  InitiateAuthCommand, AdminDisableUserCommand, AdminEnableUserCommand, DeleteUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createClient, createConfirmedUser, passwordAuth, expectError,
  setClock, PASSWORD,
} from './support/idp.mjs';

const REVOKED_ACCESS = 'Access Token has been revoked';
const REVOKED_REFRESH = 'Refresh Token has been revoked';

async function setup(idp, clientInput = {}) {
  const { poolId, clientId, client } = await createPoolAndClient(idp, {}, clientInput);
  await createConfirmedUser(idp, poolId, 'sam');
  return { poolId, clientId, client };
}
const signIn = async (idp, clientId) => (await passwordAuth(idp, clientId, 'sam', PASSWORD)).AuthenticationResult;
const getUser = (idp, token) => idp.send(new GetUserCommand({ AccessToken: token }));
const refresh = (idp, clientId, token) => idp.send(new InitiateAuthCommand({
  AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token },
}));

describe('GlobalSignOut / AdminUserGlobalSignOut', () => {
  test('GlobalSignOut revokes every access and refresh token issued so far; later sign-ins work', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { clientId } = await setup(idp);
    const a = await signIn(idp, clientId);
    const b = await signIn(idp, clientId);
    const out = await idp.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    await expectError(getUser(idp, a.AccessToken), 'NotAuthorizedException', REVOKED_ACCESS);
    await expectError(getUser(idp, b.AccessToken), 'NotAuthorizedException', REVOKED_ACCESS);
    await expectError(idp.send(new DeleteUserCommand({ AccessToken: b.AccessToken })), 'NotAuthorizedException', REVOKED_ACCESS);
    await expectError(idp.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken })), 'NotAuthorizedException', REVOKED_ACCESS);
    await expectError(refresh(idp, clientId, a.RefreshToken), 'NotAuthorizedException', REVOKED_REFRESH);
    await expectError(refresh(idp, clientId, b.RefreshToken), 'NotAuthorizedException', REVOKED_REFRESH);

    await setClock(url, { advance: 1 });  // tokens issued in a later second than the sign-out
    const c = await signIn(idp, clientId);
    assert.equal((await getUser(idp, c.AccessToken)).Username, 'sam');
    const r = await refresh(idp, clientId, c.RefreshToken);
    assert.equal((await getUser(idp, r.AuthenticationResult.AccessToken)).Username, 'sam');
  });

  test('AdminUserGlobalSignOut revokes the user\'s tokens; unknown user / pool errors', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await setup(idp);
    const a = await signIn(idp, clientId);
    await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'sam' }));
    await expectError(getUser(idp, a.AccessToken), 'NotAuthorizedException', REVOKED_ACCESS);
    await expectError(refresh(idp, clientId, a.RefreshToken), 'NotAuthorizedException', REVOKED_REFRESH);
    await setClock(url, { advance: 1 });
    const b = await signIn(idp, clientId);
    await getUser(idp, b.AccessToken);
    await refresh(idp, clientId, b.RefreshToken);

    await expectError(idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'nobody' })),
      'UserNotFoundException', 'User does not exist.');
    await expectError(idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: 'us-east-1_nopool', Username: 'sam' })),
      'ResourceNotFoundException', 'User pool us-east-1_nopool does not exist.');
  });

  test('AdminDisableUser revokes the access tokens issued before it', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await setup(idp);
    const a = await signIn(idp, clientId);
    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    await expectError(getUser(idp, a.AccessToken), 'NotAuthorizedException', 'User is disabled.');
    await idp.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'sam' }));
    await expectError(getUser(idp, a.AccessToken), 'NotAuthorizedException', REVOKED_ACCESS);
    await setClock(url, { advance: 1 });
    const b = await signIn(idp, clientId);
    await getUser(idp, b.AccessToken);
  });
});

describe('RevokeToken', () => {
  test('revokes the refresh token and its sign-in\'s access tokens, nothing else', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await setup(idp);
    const a = await signIn(idp, clientId);
    const b = await signIn(idp, clientId);
    const a2 = (await refresh(idp, clientId, a.RefreshToken)).AuthenticationResult.AccessToken;

    const out = await idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: a.RefreshToken }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    await expectError(refresh(idp, clientId, a.RefreshToken), 'NotAuthorizedException', REVOKED_REFRESH);
    await expectError(getUser(idp, a.AccessToken), 'NotAuthorizedException', REVOKED_ACCESS);
    await expectError(getUser(idp, a2), 'NotAuthorizedException', REVOKED_ACCESS);
    await getUser(idp, b.AccessToken);
    await refresh(idp, clientId, b.RefreshToken);

    // Already revoked and unknown tokens answer success.
    await idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: a.RefreshToken }));
    await idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: 'not-a-refresh-token' }));

    // Only the client the token was issued to may revoke it.
    const other = await createClient(idp, poolId);
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: other.ClientId, Token: b.RefreshToken })),
      'UnauthorizedException', 'Invalid Refresh Token.');
    await refresh(idp, clientId, b.RefreshToken);
  });

  test('a client with a secret needs ClientSecret', async (t) => {
    const { idp } = await emulatorFor(t);
    const { clientId, client } = await setup(idp, { GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: 'abc' })),
      'UnauthorizedException', `Client ${clientId} is configured with secret but ClientSecret was not received`);
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: 'abc', ClientSecret: 'x'.repeat(40) })),
      'UnauthorizedException', `Unable to verify secret for client ${clientId}`);
    await idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: 'abc', ClientSecret: client.ClientSecret }));
  });

  test('revocation disabled on the client; unknown client', async (t) => {
    const { idp } = await emulatorFor(t);
    const { clientId } = await setup(idp, { EnableTokenRevocation: false });
    const a = await signIn(idp, clientId);
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: a.RefreshToken })),
      'UnsupportedOperationException', 'Token revocation is not enabled for this client');
    await refresh(idp, clientId, a.RefreshToken);
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: 'nosuchclient1234', Token: 'abc' })),
      'ResourceNotFoundException', 'User pool client nosuchclient1234 does not exist.');
  });
});
