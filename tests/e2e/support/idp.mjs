// Helpers for the sign-in / users / tokens / identity-js suites: pools, clients and users through
// the AWS SDK v3, the emulator's outbox and clock, secret hashes and JWT decoding.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  CreateUserPoolCommand, CreateUserPoolClientCommand, AdminCreateUserCommand,
  AdminSetUserPasswordCommand, InitiateAuthCommand, AdminInitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startEmulator, idpClient, catchError } from '../harness.mjs';

export const PASSWORD = 'Passw0rd!';
export const OTHER_PASSWORD = 'Differ3nt#Pass';
export const ISSUER_PREFIX = 'https://cognito-idp.us-east-1.amazonaws.com/';
export const UUID_V4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const USER_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

/**
 * Start an emulator for one test and stop it (and its SDK client) when the test ends.
 * @param {import('node:test').TestContext} t
 * @returns {Promise<{emu: any, url: string, idp: import('@aws-sdk/client-cognito-identity-provider').CognitoIdentityProviderClient}>}
 */
export async function emulatorFor(t, opts = {}) {
  const emu = await startEmulator(opts);
  const idp = idpClient(emu.url);
  t.after(async () => {
    idp.destroy();
    await emu.stop();
  });
  return { emu, url: emu.url, idp };
}

/**
 * Plain HTTP request to the emulator, same result shape as harness.httpRequest, but with
 * `connection: close`: the emulator does not exit on SIGTERM while a client holds an idle
 * keep-alive connection (fetch keeps one open), which would cost 5 s per stop().
 */
export async function httpRequest(url, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
  const res = await fetch(url.replace(/\/$/, '') + p, { method, headers: { connection: 'close', ...headers }, body });
  const text = await res.text();
  let json;
  try { json = text.length ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

/** globalThis.fetch wrapped to send `connection: close` (see httpRequest); returns an undo function. */
export function closeConnectionsInGlobalFetch() {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init = {}) => {
    const headers = new Headers(init.headers || {});
    headers.set('connection', 'close');
    return original(input, { ...init, headers });
  };
  return () => { globalThis.fetch = original; };
}

let counter = 0;
/** A unique name for pools, clients and users within one run. */
export const uniq = (prefix = 'x') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

/** CreateUserPool with the given extra input; returns the UserPool description. */
export async function createPool(idp, input = {}) {
  const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('pool'), ...input }));
  return UserPool;
}

/** CreateUserPoolClient (password flows + refresh enabled unless overridden); returns the UserPoolClient. */
export async function createClient(idp, poolId, input = {}) {
  const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: uniq('client'), ExplicitAuthFlows: USER_FLOWS, ...input,
  }));
  return UserPoolClient;
}

/** A pool plus a client with the password flows. */
export async function createPoolAndClient(idp, poolInput = {}, clientInput = {}) {
  const pool = await createPool(idp, poolInput);
  const client = await createClient(idp, pool.Id, clientInput);
  return { pool, client, poolId: pool.Id, clientId: client.ClientId };
}

/** AdminCreateUser (SUPPRESS) + AdminSetUserPassword Permanent → a CONFIRMED user. Returns the User. */
export async function createConfirmedUser(idp, poolId, username, password = PASSWORD, attributes = []) {
  const { User } = await idp.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
    TemporaryPassword: 'Tmp-' + password, UserAttributes: attributes,
  }));
  await idp.send(new AdminSetUserPasswordCommand({
    UserPoolId: poolId, Username: username, Password: password, Permanent: true,
  }));
  return User;
}

/** InitiateAuth USER_PASSWORD_AUTH; returns the whole response. */
export function passwordAuth(idp, clientId, username, password, extra = {}) {
  return idp.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
  }));
}

/** AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH; returns the whole response. */
export function adminPasswordAuth(idp, poolId, clientId, username, password, extra = {}) {
  return idp.send(new AdminInitiateAuthCommand({
    AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', UserPoolId: poolId, ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
  }));
}

/** base64(HMAC-SHA256(key = client secret, message = username + clientId)). */
export function secretHash(secret, username, clientId) {
  return createHmac('sha256', secret).update(username + clientId).digest('base64');
}

/** Await a rejected SDK call and check its error name, message (string or RegExp) and HTTP status. */
export async function expectError(promise, name, message, status = 400) {
  const err = await catchError(() => promise);
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  if (message instanceof RegExp) assert.match(err.message, message);
  else if (message !== undefined) assert.equal(err.message, message);
  if (status !== undefined) assert.equal(err.$metadata?.httpStatusCode, status, `HTTP status for ${name}`);
  return err;
}

/** GET /_emulator/messages → the messages array (filtered by pool / username when given). */
export async function readMessages(url, poolId, username) {
  const q = new URLSearchParams();
  if (poolId !== undefined) q.set('userPoolId', poolId);
  if (username !== undefined) q.set('username', username);
  const r = await httpRequest(url, { path: `/_emulator/messages?${q}` });
  assert.equal(r.status, 200, `GET /_emulator/messages → ${r.status} ${r.text}`);
  assert.ok(Array.isArray(r.json?.messages), `messages array: ${r.text}`);
  return r.json.messages;
}

/** The newest outbox message for a user (fails when there is none). */
export async function lastMessage(url, poolId, username) {
  const msgs = await readMessages(url, poolId, username);
  assert.ok(msgs.length > 0, `no outbox message for ${username} in ${poolId}`);
  return msgs[msgs.length - 1];
}

/** DELETE /_emulator/messages. */
export async function clearMessages(url) {
  const r = await httpRequest(url, { method: 'DELETE', path: '/_emulator/messages' });
  assert.ok(r.status >= 200 && r.status < 300, `DELETE /_emulator/messages → ${r.status} ${r.text}`);
}

/** POST /_emulator/clock with {set} | {advance} | {freeze}; returns {now, frozen}. */
export async function setClock(url, body) {
  const r = await httpRequest(url, {
    method: 'POST', path: '/_emulator/clock',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(r.status, 200, `POST /_emulator/clock ${JSON.stringify(body)} → ${r.status} ${r.text}`);
  return r.json;
}

/** GET /_emulator/clock → {now, frozen}. */
export async function getClock(url) {
  const r = await httpRequest(url, { path: '/_emulator/clock' });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** Put the emulator clock back on wall time, unfrozen. */
export async function resetClock(url) {
  await setClock(url, { freeze: false });
  return setClock(url, { set: Math.floor(Date.now() / 1000) });
}

const b64urlJson = (s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

/** Decode (without verifying) a compact JWT. */
export function decodeJwt(token) {
  assert.equal(typeof token, 'string', 'token is a string');
  const parts = token.split('.');
  assert.equal(parts.length, 3, `a JWT has three parts: ${token.slice(0, 40)}…`);
  return { header: b64urlJson(parts[0]), payload: b64urlJson(parts[1]), signature: parts[2] };
}

/** GET <url>/<poolId>/.well-known/jwks.json → parsed JSON. */
export async function fetchJwks(url, poolId) {
  const r = await httpRequest(url, { path: `/${poolId}/.well-known/jwks.json` });
  assert.equal(r.status, 200, `jwks.json → ${r.status} ${r.text}`);
  return r.json;
}

/** GET <url>/<poolId>/.well-known/openid-configuration → parsed JSON. */
export async function fetchOpenIdConfig(url, poolId) {
  const r = await httpRequest(url, { path: `/${poolId}/.well-known/openid-configuration` });
  assert.equal(r.status, 200, `openid-configuration → ${r.status} ${r.text}`);
  return r.json;
}

/** Attribute list [{Name, Value}] → object. */
export const attrMap = (list) => Object.fromEntries((list || []).map((a) => [a.Name, a.Value]));
