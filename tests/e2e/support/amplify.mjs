// Amplify v6 (aws-amplify) in Node against the emulator: one emulator per test file, a readable
// token store, and a reset between tests. Amplify keeps module-level state (one configured pool,
// one sign-in in progress, one token store), so the tests of a file run one after another.
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { startEmulator, idpClient } from '../harness.mjs';
import { closeConnectionsInGlobalFetch, httpRequest } from './idp.mjs';

/**
 * Amplify's key-value token store, readable by the test (Amplify's default in Node is an
 * in-memory store the test cannot reach). Keys look like
 * `CognitoIdentityServiceProvider.<clientId>.<username>.<accessToken|refreshToken|deviceKey|...>`.
 */
export class MapStorage {
  constructor() { this.items = new Map(); }
  async setItem(k, v) { this.items.set(k, v); }
  async getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  async removeItem(k) { this.items.delete(k); }
  async clear() { this.items.clear(); }
  /** The value of the first key ending with `suffix` (e.g. '.refreshToken'), or null. */
  find(suffix) {
    for (const [k, v] of this.items) if (k.endsWith(suffix)) return v;
    return null;
  }
}

/**
 * Start one emulator for the whole file (call at module level inside describe/top level).
 * Returns a holder whose `url` / `idp` are set once `before` ran.
 */
export function amplifySuite({ before, after, args = [] }) {
  const s = { url: undefined, idp: undefined, emu: undefined };
  let restoreFetch;
  before(async () => {
    restoreFetch = closeConnectionsInGlobalFetch(); // lets the emulator stop promptly
    s.emu = await startEmulator({ args });
    s.url = s.emu.url;
    s.idp = idpClient(s.emu.url);
  });
  after(async () => {
    s.idp?.destroy();
    await s.emu?.stop();
    restoreFetch?.();
  });
  return s;
}

/** Point Amplify at a pool/client of the emulator with a fresh readable token store. */
export function configureAmplify(url, poolId, clientId, storage = new MapStorage()) {
  Amplify.configure({
    Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: url } },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  return storage;
}

/** End any Amplify session left by a test (signOut never throws for service errors). */
export async function resetAmplify() {
  try { await signOut(); } catch { /* not configured or nothing to sign out */ }
}

/** GET /_emulator/requests?operation=X → requests, newest first. */
export async function requestHistory(url, operation, limit = 100) {
  const r = await httpRequest(url, { path: `/_emulator/requests?operation=${operation}&limit=${limit}` });
  assert.equal(r.status, 200, `GET /_emulator/requests → ${r.status} ${r.text}`);
  return r.json.requests;
}

/** POST /_emulator/reset (wipes pools, users, outbox, history). */
export async function resetEmulator(url) {
  const r = await httpRequest(url, { method: 'POST', path: '/_emulator/reset' });
  assert.ok(r.status >= 200 && r.status < 300, `POST /_emulator/reset → ${r.status} ${r.text}`);
}
