// Helpers for the identity-pool suites: an emulator with both SDK clients, a user pool whose
// signed-in user yields an ID token for Logins, identity pools, the control API's identity
// endpoints, and JWTs of "external" providers signed with keys made here.
import assert from 'node:assert/strict';
import { generateKeyPairSync, createSign } from 'node:crypto';
import { CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { identityClient } from '../harness.mjs';
import {
  emulatorFor, createPoolAndClient, createConfirmedUser, passwordAuth, httpRequest, uniq, PASSWORD, decodeJwt,
} from './idp.mjs';

export const IDENTITY_ID_RE = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** An emulator for one test with an IdP client (idp) and an identity client (ci). */
export async function identityEmulator(t, opts = {}) {
  const env = await emulatorFor(t, opts);
  const ci = identityClient(env.url);
  t.after(() => ci.destroy());
  return { ...env, ci };
}

/** The Logins key of a user pool (AWS issuer form). */
export const providerOf = (poolId) => `cognito-idp.us-east-1.amazonaws.com/${poolId}`;

/** A user pool + client + signed-in user: {poolId, clientId, provider, username, idToken, accessToken, refreshToken, sub}. */
export async function signedInUser(idp, { poolId, clientId, username } = {}) {
  if (!poolId) ({ poolId, clientId } = await createPoolAndClient(idp));
  username = username || uniq('user');
  await createConfirmedUser(idp, poolId, username);
  const { AuthenticationResult: r } = await passwordAuth(idp, clientId, username, PASSWORD);
  return {
    poolId, clientId, provider: providerOf(poolId), username,
    idToken: r.IdToken, accessToken: r.AccessToken, refreshToken: r.RefreshToken, sub: decodeJwt(r.IdToken).payload.sub,
  };
}

/** CreateIdentityPool with defaults (name, unauthenticated off) overridden by `input`. */
export async function createIdentityPool(ci, input = {}) {
  return ci.send(new CreateIdentityPoolCommand({
    IdentityPoolName: uniq('ipool'), AllowUnauthenticatedIdentities: false, ...input,
  }));
}

/** GET /_emulator/identity/credentials → the issued-credential records. */
export async function issuedCredentials(url, query = {}) {
  const r = await httpRequest(url, { path: `/_emulator/identity/credentials?${new URLSearchParams(query)}` });
  assert.equal(r.status, 200, r.text);
  return r.json.credentials;
}

/** POST /_emulator/identity/providers. */
export async function registerProvider(url, issuer, jwks) {
  return httpRequest(url, {
    method: 'POST', path: '/_emulator/identity/providers',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ issuer, jwks }),
  });
}

/** An RSA key pair for signing external tokens: {privateKey, jwk} (jwk carries kid/alg/use). */
export function makeKey(kid = uniq('kid')) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, jwk, kid };
}

/** An RS256 JWT of `claims` signed by `key` (from makeKey). */
export function signJwt(key, claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'RS256', kid: key.kid, typ: 'JWT' })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/** Replaces one claim of a signed JWT without re-signing (a tampered token). */
export function tamper(token, changes) {
  const [h, p, s] = token.split('.');
  const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), ...changes };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}
