// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-second steps) over a base32 secret, timed by the
// EMULATOR's clock (GET /_emulator/clock), as an authenticator app on a synchronised phone would.
import { createHmac } from 'node:crypto';
import { getClock } from './idp.mjs';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed, case-insensitive) → bytes. */
export function base32Decode(text) {
  const clean = text.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: the `digits`-digit code of counter `counter` for the key bytes. */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code of a base32 secret at epoch second `epochSeconds` (30-s steps). */
export function totp(secretBase32, epochSeconds, { step = 30, digits = 6 } = {}) {
  return hotp(base32Decode(secretBase32), Math.floor(epochSeconds / step), digits);
}

/**
 * The code for the emulator's current step plus `stepOffset` steps (1 = the next step, which the
 * emulator accepts as within its ±1 window and which has not been used yet).
 */
export async function emulatorTotp(url, secretBase32, stepOffset = 0) {
  const { now } = await getClock(url);
  return totp(secretBase32, now + 30 * stepOffset);
}
