// Helpers for the MFA / device / refresh suites: raw calls for operations the pinned SDK does not
// know (AdminGetUserAuthFactors), their errors, and SDK responses without $metadata.
import assert from 'node:assert/strict';
import { idpRaw } from '../harness.mjs';

/**
 * A raw (fake-signed) Cognito IdP call with `connection: close` (an idle keep-alive socket would
 * hold up the emulator's shutdown). Returns {status, json, text}.
 */
export function rawIdp(url, op, body) {
  return idpRaw(url, op, body, { connection: 'close' });
}

/** A raw call's error: status 400 and __type / message as given. */
export function assertRawError(res, type, message) {
  assert.equal(res.status, 400, `expected HTTP 400 ${type}, got ${res.status}: ${res.text}`);
  const got = String(res.json?.__type || '').replace(/^.*#/, '');
  assert.equal(got, type, `error type: ${res.text}`);
  if (message instanceof RegExp) assert.match(res.json?.message || res.json?.Message || '', message);
  else if (message !== undefined) assert.equal(res.json?.message ?? res.json?.Message, message, res.text);
}

/** An SDK response without $metadata. */
export function body(res) {
  const { $metadata, ...rest } = res;
  return rest;
}
