// Helpers for driving amazon-cognito-identity-js (6.x, callback style) against the emulator:
// promise wrappers with a timeout, an inspectable Storage, an authenticateUser that reports
// whichever callback the library chose, and the emulator's request log.
import assert from 'node:assert/strict';
import cognito from 'amazon-cognito-identity-js';
import { httpRequest } from './idp.mjs';

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = cognito;

export const CALLBACK_TIMEOUT_MS = 15_000;

/** Run fn(resolve, reject) and fail if neither is called in time (a hang is a failure). */
export function withTimeout(what, fn, ms = CALLBACK_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no callback within ${ms} ms`)), ms);
    fn((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/** A node-style (err, result) callback as a promise. */
export const nodeCallback = (what, fn) =>
  withTimeout(what, (resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));

/** {onSuccess, onFailure} callbacks as a promise. */
export const successCallbacks = (what, fn) =>
  withTimeout(what, (resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));

/** The Storage interface the library uses (setItem/getItem/removeItem/clear), readable by tests. */
export class InspectableStorage {
  constructor() { this.data = new Map(); }
  setItem(key, value) { this.data.set(key, String(value)); return this.data.get(key); }
  getItem(key) { return this.data.has(key) ? this.data.get(key) : null; }
  removeItem(key) { return this.data.delete(key); }
  clear() { this.data.clear(); return {}; }
  keys() { return [...this.data.keys()]; }
}

/** A CognitoUserPool on the emulator, with its own storage unless one is given. */
export function libraryPool(url, poolId, clientId, storage = new InspectableStorage()) {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url + '/', Storage: storage });
  return { pool, storage };
}

/** A CognitoUser (default flow, USER_SRP_AUTH) sharing the pool's storage. */
export function libraryUser(pool, username, storage) {
  return new CognitoUser({ Username: username, Pool: pool, Storage: storage ?? pool.storage });
}

/** Every callback authenticateUser / sendMFACode may call, settled as {kind, ...}; onFailure rejects. */
function allCallbacks(resolve, reject) {
  return {
    onSuccess: (...args) => resolve({ kind: 'success', session: args[0], userConfirmationNecessary: args[1], argc: args.length }),
    onFailure: reject,
    newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
    mfaRequired: (challengeName, challengeParameters) => resolve({ kind: 'mfaRequired', challengeName, challengeParameters }),
    totpRequired: (challengeName, challengeParameters) => resolve({ kind: 'totpRequired', challengeName, challengeParameters }),
    mfaSetup: (challengeName, challengeParameters) => resolve({ kind: 'mfaSetup', challengeName, challengeParameters }),
    selectMFAType: (challengeName, challengeParameters) => resolve({ kind: 'selectMFAType', challengeName, challengeParameters }),
    customChallenge: (challengeParameters) => resolve({ kind: 'customChallenge', challengeParameters }),
  };
}

/** user.authenticateUser → the first callback the library calls, as {kind, ...}. */
export function authenticate(user, username, password) {
  return withTimeout('authenticateUser', (resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), allCallbacks(resolve, reject));
  });
}

/** user.sendMFACode(code, callbacks, mfaType) → {kind, ...}; onFailure rejects. */
export function sendMFACode(user, code, mfaType) {
  return withTimeout('sendMFACode', (resolve, reject) => user.sendMFACode(code, allCallbacks(resolve, reject), mfaType));
}

/** Await a promise that must reject (library errors carry code/name/message). */
export async function rejection(promise) {
  let value;
  try {
    value = await promise;
  } catch (e) {
    return e;
  }
  assert.fail(`expected a failure, got ${JSON.stringify(value, (k, v) => (k === 'session' ? '<session>' : v))}`);
}

/** Check a library error's code and message. */
export function assertLibraryError(err, code, message) {
  assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
  assert.equal(err.name, code);
  if (message instanceof RegExp) assert.match(err.message, message);
  else if (message !== undefined) assert.equal(err.message, message);
}

/** GET /_emulator/requests?operation=op → the calls, OLDEST first (the API lists newest first). */
export async function requestLog(url, operation, limit = 200) {
  const q = new URLSearchParams({ limit: String(limit) });
  if (operation) q.set('operation', operation);
  const r = await httpRequest(url, { path: `/_emulator/requests?${q}` });
  assert.equal(r.status, 200, `GET /_emulator/requests → ${r.status} ${r.text}`);
  assert.ok(Array.isArray(r.json?.requests), r.text);
  return [...r.json.requests].reverse();
}

/** The storage keys the library uses for a user's remembered device. */
export function deviceCacheKeys(clientId, username) {
  const p = `CognitoIdentityServiceProvider.${clientId}.${username}`;
  return { deviceKey: `${p}.deviceKey`, deviceGroupKey: `${p}.deviceGroupKey`, randomPasswordKey: `${p}.randomPasswordKey` };
}

/** The cached device of a user in a storage: {deviceKey, deviceGroupKey, randomPassword} (nulls when absent). */
export function cachedDevice(storage, clientId, username) {
  const k = deviceCacheKeys(clientId, username);
  return {
    deviceKey: storage.getItem(k.deviceKey),
    deviceGroupKey: storage.getItem(k.deviceGroupKey),
    randomPassword: storage.getItem(k.randomPasswordKey),
  };
}
