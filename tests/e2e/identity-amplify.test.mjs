// Amplify v6 in Node against the emulator: fetchAuthSession() obtains identity-pool credentials
// for a user signed in to the emulator's user pool (USER_PASSWORD_AUTH), in both issuer modes,
// and guest credentials when the identity pool allows unauthenticated identities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { signIn, signOut, fetchAuthSession } from 'aws-amplify/auth';
import { SetIdentityPoolRolesCommand, DescribeIdentityCommand } from '@aws-sdk/client-cognito-identity';
import { createPoolAndClient, createConfirmedUser, closeConnectionsInGlobalFetch, uniq, PASSWORD } from './support/idp.mjs';
import { identityEmulator, createIdentityPool, issuedCredentials, IDENTITY_ID_RE } from './support/identity.mjs';

const AUTH = 'arn:aws:iam::000000000000:role/amplify-auth';
const GUEST = 'arn:aws:iam::000000000000:role/amplify-guest';

async function world(t, opts = {}) {
  const undo = closeConnectionsInGlobalFetch();
  t.after(undo);
  const env = await identityEmulator(t, opts);
  const { poolId, clientId } = await createPoolAndClient(env.idp);
  const username = uniq('amp');
  await createConfirmedUser(env.idp, poolId, username);
  const { IdentityPoolId } = await createIdentityPool(env.ci, {
    AllowUnauthenticatedIdentities: true,
    CognitoIdentityProviders: [{ ProviderName: `cognito-idp.us-east-1.amazonaws.com/${poolId}`, ClientId: clientId }],
  });
  await env.ci.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: AUTH, unauthenticated: GUEST } }));
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: poolId, userPoolClientId: clientId, identityPoolId: IdentityPoolId, allowGuestAccess: true,
        userPoolEndpoint: env.url, identityPoolEndpoint: env.url,
      },
    },
  });
  t.after(() => signOut().catch(() => {}));
  return { ...env, poolId, clientId, username, identityPoolId: IdentityPoolId };
}

async function signedInSession(t, opts) {
  const w = await world(t, opts);
  const result = await signIn({ username: w.username, password: PASSWORD, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  assert.equal(result.isSignedIn, true, JSON.stringify(result.nextStep));
  const session = await fetchAuthSession();
  assert.ok(session.tokens?.idToken, 'the user pool tokens are there');
  assert.match(session.identityId, IDENTITY_ID_RE);
  assert.match(session.credentials.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(session.credentials.secretAccessKey.length, 40);
  assert.ok(session.credentials.sessionToken);
  assert.ok(session.credentials.expiration instanceof Date);
  const issued = await issuedCredentials(w.url, { identityId: session.identityId });
  assert.equal(issued.at(-1).AccessKeyId, session.credentials.accessKeyId);
  assert.equal(issued.at(-1).RoleArn, AUTH);
  const described = await w.ci.send(new DescribeIdentityCommand({ IdentityId: session.identityId }));
  assert.deepEqual(described.Logins, [`cognito-idp.us-east-1.amazonaws.com/${w.poolId}`]);
  return { w, session };
}

test('fetchAuthSession() gets authenticated credentials for a signed-in user', async (t) => {
  await signedInSession(t);
});

test('with --issuer local, the Logins key Amplify builds from iss is accepted', async (t) => {
  await signedInSession(t, { args: ['--issuer', 'local'] });
});

test('fetchAuthSession() gets guest credentials before sign-in', async (t) => {
  const w = await world(t);
  await signOut();
  const session = await fetchAuthSession();
  assert.equal(session.tokens, undefined);
  assert.match(session.identityId, IDENTITY_ID_RE);
  assert.match(session.credentials.accessKeyId, /^ASIA/);
  const issued = await issuedCredentials(w.url, { identityId: session.identityId });
  assert.equal(issued.at(-1).RoleArn, GUEST);
  assert.equal(issued.at(-1).Authenticated, false);
});
