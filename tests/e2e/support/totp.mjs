// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-s steps) over a secret in RFC 4648 base32, as
// AssociateSoftwareToken returns it; what an authenticator app computes. Codes are computed for a
// given epoch second, which the suites take from the EMULATOR clock (GET /_emulator/clock), never
// the machine's.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { getClock, setClock } from './idp.mjs';

export const TOTP_STEP = 30;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decode RFC 4648 base32 (case-insensitive, '=' padding and spaces ignored) to bytes. */
export function base32Decode(text) {
  const clean = String(text).toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`not a base32 character: ${JSON.stringify(ch)}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: the `digits`-digit code of `counter` for the key bytes (HMAC-SHA-1). */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code of a base32 secret at epoch second `epochSeconds`. */
export function totp(secretBase32, epochSeconds, { step = TOTP_STEP, digits = 6 } = {}) {
  return hotp(base32Decode(secretBase32), Math.floor(epochSeconds / step), digits);
}

/**
 * The code for the emulator's current time shifted by `steps` 30-s steps (steps = 1: the next
 * step, which the emulator's ±1 window accepts and which no verification made with steps = 0 has
 * used).
 */
export async function emulatorTotp(url, secretBase32, steps = 0) {
  const { now } = await getClock(url);
  return totp(secretBase32, now + steps * TOTP_STEP);
}

/**
 * Freeze the emulator clock `intoStep` seconds into the next 30-s step after its current time,
 * so that the codes for "now", "now + 30", ... are unambiguous. Returns the frozen epoch second.
 */
export async function freezeClock(url, intoStep = 5) {
  const r = await setClock(url, { freeze: true });
  assert.equal(r.frozen, true, 'the emulator clock is frozen');
  const now = Math.floor(r.now);
  const at = now - (now % TOTP_STEP) + TOTP_STEP + intoStep;
  await setClock(url, { set: at });
  assert.equal(Math.floor((await getClock(url)).now), at, 'the frozen clock reads what was set');
  return at;
}
