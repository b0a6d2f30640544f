// Helpers for the MFA / device / refresh suites: RFC 6238 TOTP codes from the emulator clock, a
// frozen emulator clock, device verifiers as amazon-cognito-identity-js computes them, and raw
// calls for operations the pinned SDK does not know (AdminGetUserAuthFactors).
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { idpRaw } from '../harness.mjs';
import { setClock, getClock } from './idp.mjs';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed) → bytes. */
export function base32Decode(text) {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-s steps) of a base32 secret at `epochSeconds`. */
export function totp(secretBase32, epochSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(epochSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

/** The emulator's clock (epoch seconds). */
export async function emulatorNow(url) {
  return (await getClock(url)).now;
}

/**
 * Freeze the emulator clock at the start of a 30-s TOTP step plus `intoStep` seconds (so codes for
 * "now" and "now + 30" are unambiguous). Returns the frozen time.
 */
export async function freezeClock(url, intoStep = 5) {
  const wall = Math.floor(Date.now() / 1000);
  const at = wall - (wall % 30) + 30 + intoStep;
  const r = await setClock(url, { freeze: true });
  assert.equal(r.frozen, true, 'the emulator clock is frozen');
  await setClock(url, { set: at });
  assert.equal(await emulatorNow(url), at, 'the frozen clock reads what was set');
  return at;
}

// SRP constants (RFC 5054 3072-bit group, g = 2) as Cognito and amazon-cognito-identity-js use them.
export const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A4' +
  '31B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B' +
  '1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED52907709' +
  '6966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695' +
  '5817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575' +
  'D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B181' +
  '77B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
export const N = BigInt('0x' + N_HEX);
export const G = 2n;

/** Java BigInteger.toByteArray() of a non-negative integer (a leading 0x00 when the top bit is set). */
export function padBytes(n) {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let buf = Buffer.from(hex, 'hex');
  if (buf[0] & 0x80) buf = Buffer.concat([Buffer.from([0]), buf]);
  return buf;
}

export function modPow(base, exp, mod) {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();

/**
 * The DeviceSecretVerifierConfig amazon-cognito-identity-js sends with ConfirmDevice:
 * x = H(PAD(salt) ‖ H(DeviceGroupKey ‖ DeviceKey ‖ ":" ‖ devicePassword)), v = g^x mod N.
 */
export function deviceVerifier(deviceGroupKey, deviceKey, devicePassword = randomBytes(40).toString('base64')) {
  const salt = BigInt('0x' + randomBytes(16).toString('hex'));
  const inner = sha256(`${deviceGroupKey}${deviceKey}:${devicePassword}`);
  const x = BigInt('0x' + sha256(padBytes(salt), inner).toString('hex'));
  const v = modPow(G, x, N);
  return {
    devicePassword,
    config: { PasswordVerifier: padBytes(v).toString('base64'), Salt: padBytes(salt).toString('base64') },
  };
}

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
