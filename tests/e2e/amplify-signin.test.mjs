// Amplify v6 signIn at its defaults (no authFlowType: USER_SRP_AUTH) against the emulator: SRP
// proof, verifiable tokens, wrong password, NEW_PASSWORD_REQUIRED, e-mail as username (the SRP
// user id is the internal username) and PreventUserExistenceErrors.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { signIn, confirmSignIn, fetchAuthSession, getCurrentUser } from 'aws-amplify/auth';
import { AdminCreateUserCommand, AdminGetUserCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  createPool, createClient, createConfirmedUser, decodeJwt, fetchJwks, attrMap, PASSWORD, OTHER_PASSWORD,
} from './support/idp.mjs';
import { amplifySuite, configureAmplify, resetAmplify, requestHistory } from './support/amplify.mjs';

const SRP_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const s = amplifySuite({ before, after });
afterEach(resetAmplify);

// Verifies with the emulator's JWKS handed over up front (the verifier may not fetch anything).
async function verifier(poolId, clientId, tokenUse) {
  const v = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse, clientId }, {
    jwksCache: new SimpleJwksCache({ fetcher: { async fetch(uri) { throw new Error(`refusing to fetch ${uri}`); } } }),
  });
  v.cacheJwks(await fetchJwks(s.url, poolId));
  return v;
}

/** signIn must fail; returns the error. */
async function signInError(input) {
  let result;
  try {
    result = await signIn(input);
  } catch (e) {
    return e;
  }
  assert.fail(`signIn succeeded unexpectedly: ${JSON.stringify(result)}`);
}

describe('Amplify v6 signIn (default flow: USER_SRP_AUTH)', { concurrency: false }, () => {
  test('signIn({username, password}) runs SRP and signs in; the tokens verify against the JWKS', async () => {
    const pool = await createPool(s.idp);
    // No ExplicitAuthFlows: the default set includes ALLOW_USER_SRP_AUTH.
    const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: undefined });
    const user = await createConfirmedUser(s.idp, pool.Id, 'amp-srp', PASSWORD,
      [{ Name: 'email', Value: 'amp-srp@example.com' }]);
    const sub = attrMap(user.Attributes).sub;
    const storage = configureAmplify(s.url, pool.Id, client.ClientId);

    const result = await signIn({ username: 'amp-srp', password: PASSWORD });
    assert.deepEqual(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });

    // Amplify used the SRP flow and the emulator accepted its proof.
    const [init] = await requestHistory(s.url, 'InitiateAuth');
    assert.equal(init.input.AuthFlow, 'USER_SRP_AUTH');
    assert.equal(init.status, 200);
    assert.equal(init.output.ChallengeName, 'PASSWORD_VERIFIER');
    const [answer] = await requestHistory(s.url, 'RespondToAuthChallenge');
    assert.equal(answer.input.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(answer.status, 200);

    const { tokens } = await fetchAuthSession();
    const access = tokens.accessToken.toString();
    const id = tokens.idToken.toString();
    assert.equal(storage.find('.accessToken'), access, 'Amplify stored the access token');
    assert.ok(storage.find('.refreshToken'), 'Amplify stored a refresh token');

    const ap = await (await verifier(pool.Id, client.ClientId, 'access')).verify(access);
    assert.equal(ap.username, 'amp-srp');
    assert.equal(ap.client_id, client.ClientId);
    assert.equal(ap.sub, sub);
    const ip = await (await verifier(pool.Id, client.ClientId, 'id')).verify(id);
    assert.equal(ip['cognito:username'], 'amp-srp');
    assert.equal(ip.aud, client.ClientId);
    assert.equal(ip.email, 'amp-srp@example.com');

    const current = await getCurrentUser();
    assert.equal(current.username, 'amp-srp');
    assert.equal(current.userId, sub);
    assert.deepEqual(current.signInDetails, { loginId: 'amp-srp', authFlowType: 'USER_SRP_AUTH' });
    assert.equal((await s.idp.send(new GetUserCommand({ AccessToken: access }))).Username, 'amp-srp');
  });

  test('a wrong password is NotAuthorizedException "Incorrect username or password." and nothing is stored', async () => {
    const pool = await createPool(s.idp);
    const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: SRP_FLOWS });
    await createConfirmedUser(s.idp, pool.Id, 'amp-wrong');
    const storage = configureAmplify(s.url, pool.Id, client.ClientId);

    const err = await signInError({ username: 'amp-wrong', password: OTHER_PASSWORD });
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    assert.equal(storage.find('.accessToken'), null);
    await assert.rejects(getCurrentUser(), (e) => e.name === 'UserUnAuthenticatedException');
    // The failure came from the proof (the SRP step itself answered 200).
    const [answer] = await requestHistory(s.url, 'RespondToAuthChallenge');
    assert.equal(answer.input.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(answer.status, 400);
    assert.equal(answer.error, 'NotAuthorizedException');

    // The right password still works afterwards.
    assert.equal((await signIn({ username: 'amp-wrong', password: PASSWORD })).isSignedIn, true);
  });

  test('a FORCE_CHANGE_PASSWORD user: CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED, then confirmSignIn(newPassword) → DONE', async () => {
    const pool = await createPool(s.idp);
    const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: SRP_FLOWS });
    const temporary = 'Tmp-Passw0rd!';
    await s.idp.send(new AdminCreateUserCommand({
      UserPoolId: pool.Id, Username: 'amp-new', TemporaryPassword: temporary, MessageAction: 'SUPPRESS',
    }));
    configureAmplify(s.url, pool.Id, client.ClientId);

    const first = await signIn({ username: 'amp-new', password: temporary });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    assert.deepEqual(first.nextStep.missingAttributes, []);

    const done = await confirmSignIn({ challengeResponse: OTHER_PASSWORD });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { tokens } = await fetchAuthSession();
    assert.equal(decodeJwt(tokens.accessToken.toString()).payload.username, 'amp-new');
    const u = await s.idp.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'amp-new' }));
    assert.equal(u.UserStatus, 'CONFIRMED');

    // The new password is the password now; the temporary one is refused.
    await resetAmplify();
    const err = await signInError({ username: 'amp-new', password: temporary });
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal((await signIn({ username: 'amp-new', password: OTHER_PASSWORD })).isSignedIn, true);
  });

  test('a pool with e-mail as username: SRP by e-mail address (USER_ID_FOR_SRP is the internal username)', async () => {
    const pool = await createPool(s.idp, { UsernameAttributes: ['email'] });
    const client = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: SRP_FLOWS });
    const user = await createConfirmedUser(s.idp, pool.Id, 'ella@example.com', PASSWORD,
      [{ Name: 'email_verified', Value: 'true' }]);
    const internal = user.Username;
    const sub = attrMap(user.Attributes).sub;
    assert.notEqual(internal, 'ella@example.com', 'the pool gives the user a generated username');
    configureAmplify(s.url, pool.Id, client.ClientId);

    const result = await signIn({ username: 'ella@example.com', password: PASSWORD });
    assert.deepEqual(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });

    const [init] = await requestHistory(s.url, 'InitiateAuth');
    assert.equal(init.input.AuthParameters.USERNAME, 'ella@example.com');
    assert.equal(init.output.ChallengeParameters.USER_ID_FOR_SRP, internal);
    assert.equal(init.output.ChallengeParameters.USER_ID_FOR_SRP, sub);
    const [answer] = await requestHistory(s.url, 'RespondToAuthChallenge');
    assert.equal(answer.input.ChallengeResponses.USERNAME, internal);
    assert.equal(answer.status, 200);

    const { tokens } = await fetchAuthSession();
    const ap = decodeJwt(tokens.accessToken.toString()).payload;
    assert.equal(ap.username, internal);
    assert.equal(ap.sub, sub);
    assert.equal(decodeJwt(tokens.idToken.toString()).payload.email, 'ella@example.com');
    const current = await getCurrentUser();
    assert.equal(current.username, internal);
    assert.equal(current.signInDetails.loginId, 'ella@example.com');
  });

  test('PreventUserExistenceErrors ENABLED: an unknown user gets NotAuthorizedException, LEGACY says UserNotFoundException', async () => {
    const pool = await createPool(s.idp);
    const hiding = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: SRP_FLOWS, PreventUserExistenceErrors: 'ENABLED' });
    const legacy = await createClient(s.idp, pool.Id, { ExplicitAuthFlows: SRP_FLOWS, PreventUserExistenceErrors: 'LEGACY' });
    await createConfirmedUser(s.idp, pool.Id, 'amp-known');

    configureAmplify(s.url, pool.Id, hiding.ClientId);
    const hidden = await signInError({ username: 'amp-nobody', password: PASSWORD });
    assert.equal(hidden.name, 'NotAuthorizedException');
    assert.equal(hidden.message, 'Incorrect username or password.');
    // The unknown user got a (simulated) SRP challenge like a real one, and the proof was refused.
    const [init] = await requestHistory(s.url, 'InitiateAuth');
    assert.equal(init.status, 200);
    assert.equal(init.output.ChallengeName, 'PASSWORD_VERIFIER');
    // A known user with a wrong password looks the same.
    const wrong = await signInError({ username: 'amp-known', password: OTHER_PASSWORD });
    assert.equal(wrong.name, hidden.name);
    assert.equal(wrong.message, hidden.message);

    configureAmplify(s.url, pool.Id, legacy.ClientId);
    const revealed = await signInError({ username: 'amp-nobody', password: PASSWORD });
    assert.equal(revealed.name, 'UserNotFoundException');
    assert.equal(revealed.message, 'User does not exist.');
  });
});
