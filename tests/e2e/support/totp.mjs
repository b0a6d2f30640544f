// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-s steps) for the MFA suites, with the secret in RFC 4648
// base32 as Cognito's AssociateSoftwareToken returns it. Codes are computed for a given epoch
// second: the tests take it from the EMULATOR clock (GET /_emulator/clock), never the machine's.
import { createHmac } from 'node:crypto';
import { getClock } from './idp.mjs';

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

/** RFC 4226 HOTP over a counter (SHA-1, `digits` digits). */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code of a base32 secret for the given epoch seconds. */
export function totpCode(secretBase32, epochSeconds) {
  return hotp(base32Decode(secretBase32), Math.floor(epochSeconds / TOTP_STEP));
}

/**
 * The code for the emulator's current time shifted by `steps` 30-s steps (steps = 1: the next
 * step, a code no earlier verification has used when the last one was made with steps = 0).
 */
export async function emulatorTotp(url, secretBase32, steps = 0) {
  const { now } = await getClock(url);
  return totpCode(secretBase32, now + steps * TOTP_STEP);
}
