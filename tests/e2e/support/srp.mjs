// A compact Cognito SRP-6a client (what amazon-cognito-identity-js and Amplify compute) with
// node:crypto and BigInt, for driving USER_SRP_AUTH / DEVICE_SRP_AUTH through the raw SDK.
//
//   N = RFC 3526 3072-bit MODP prime, g = 2, H = SHA-256, PAD(x) = Java BigInteger.toByteArray(x)
//   k = H(PAD(N) | PAD(g))                      x = H(PAD(salt) | H(poolName | userId | ':' | password))
//   A = g^a mod N                               u = H(PAD(A) | PAD(B))
//   S = (B - k·g^x)^(a + u·x) mod N             key = HKDF-SHA256(salt = PAD(u), ikm = PAD(S), info = 'Caldera Derived Key')[0..16)
//   PASSWORD_CLAIM_SIGNATURE = base64 HMAC-SHA256(key, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP)
// poolName is the part of the pool ID after '_' (for devices: the DeviceGroupKey, userId = DeviceKey).
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
export const N = BigInt('0x' + N_HEX);
export const g = 2n;

/** Positive BigInt → the bytes of Java's BigInteger.toByteArray (minimal, leading 0x00 when the top bit is set). */
export function pad(n) {
  if (n < 0n) throw new Error('pad: negative numbers are not used by SRP');
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (/^[89a-f]/.test(hex)) hex = '00' + hex;
  return Buffer.from(hex, 'hex');
}

export const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const big = (buf) => BigInt('0x' + (buf.length ? buf.toString('hex') : '0'));
const fromHex = (hex) => BigInt('0x' + hex);

/** b^e mod m for BigInts (square and multiply). */
export function modPow(b, e, m) {
  let result = 1n;
  b %= m;
  if (b < 0n) b += m;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    e >>= 1n;
    b = (b * b) % m;
  }
  return result;
}

export const k = big(sha256(pad(N), pad(g)));

/** x = H(PAD(salt) | H(poolName | userId | ':' | password)) */
export function computeX(poolName, userId, password, saltHex) {
  const inner = sha256(Buffer.from(`${poolName}${userId}:${password}`, 'utf8'));
  return big(sha256(pad(fromHex(saltHex)), inner));
}

/** The password verifier v = g^x mod N (what the server stores). */
export function verifier(poolName, userId, password, saltHex) {
  return modPow(g, computeX(poolName, userId, password, saltHex), N);
}

/** Server side of the exchange, for the test vector: B = (k·v + g^b) mod N. */
export function serverB(v, b) {
  return (k * v + modPow(g, b, N)) % N;
}

/** A fresh client ephemeral: {a, A, srpA (hex, as the clients send it)}. `a` may be given (BigInt or hex). */
export function clientEphemeral(a) {
  const small = a === undefined ? big(randomBytes(128)) : (typeof a === 'bigint' ? a : fromHex(a));
  const A = modPow(g, small, N);
  return { a: small, A, srpA: A.toString(16) };
}

/** The 16-byte key both sides derive. */
export function passwordAuthenticationKey({ poolName, userId, password, saltHex, srpB, a }) {
  const A = modPow(g, a, N);
  const B = typeof srpB === 'bigint' ? srpB : fromHex(srpB);
  if (B % N === 0n) throw new Error('B mod N is 0');
  const u = big(sha256(pad(A), pad(B)));
  if (u === 0n) throw new Error('u is 0');
  const x = computeX(poolName, userId, password, saltHex);
  let base = (B - k * modPow(g, x, N)) % N;
  if (base < 0n) base += N;
  const S = modPow(base, a + u * x, N);
  const prk = createHmac('sha256', pad(u)).update(pad(S)).digest();
  const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])])).digest();
  return okm.subarray(0, 16);
}

/** base64 HMAC-SHA256(key, poolName | userId | secretBlock | timestamp). */
export function claimSignature({ key, poolName, userId, secretBlock, timestamp }) {
  return createHmac('sha256', key)
    .update(Buffer.concat([
      Buffer.from(poolName, 'utf8'), Buffer.from(userId, 'utf8'),
      Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8'),
    ]))
    .digest('base64');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * SRP TIMESTAMP "EEE MMM d HH:mm:ss UTC yyyy" (day of month not padded, as the JS clients send it).
 * @param {Date|number} when a Date or epoch SECONDS
 * @param {{padDay?: boolean}} [opts] padDay: "Mar 05" (as Java's SimpleDateFormat "dd" would)
 */
export function srpTimestamp(when, { padDay = false } = {}) {
  const d = typeof when === 'number' ? new Date(when * 1000) : when;
  const p2 = (n) => String(n).padStart(2, '0');
  const day = padDay ? p2(d.getUTCDate()) : String(d.getUTCDate());
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** "us-east-1_AbCdEf" → "AbCdEf" (the pool name SRP uses). */
export const srpPoolName = (poolId) => poolId.split('_')[1];

/**
 * The PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) ChallengeResponses for a challenge's parameters.
 * @param {{poolName: string, params: Record<string,string>, password: string, a: bigint,
 *   timestamp: string, userId?: string, username?: string, extra?: Record<string,string>}} o
 *   userId defaults to params.USER_ID_FOR_SRP (devices: pass the DeviceKey, poolName = DeviceGroupKey);
 *   username (the USERNAME answered) defaults to userId.
 */
export function verifierResponses({ poolName, params, password, a, timestamp, userId, username, extra = {} }) {
  const id = userId ?? params.USER_ID_FOR_SRP;
  const key = passwordAuthenticationKey({ poolName, userId: id, password, saltHex: params.SALT, srpB: params.SRP_B, a });
  return {
    USERNAME: username ?? id,
    PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: claimSignature({ key, poolName, userId: id, secretBlock: params.SECRET_BLOCK, timestamp }),
    ...extra,
  };
}

/**
 * The DeviceSecretVerifierConfig amazon-cognito-identity-js sends with ConfirmDevice: the verifier
 * of `devicePassword` with poolName = DeviceGroupKey and userId = DeviceKey, and a random salt.
 */
export function deviceVerifier(deviceGroupKey, deviceKey, devicePassword = randomBytes(40).toString('base64')) {
  const saltHex = randomBytes(16).toString('hex');
  const v = verifier(deviceGroupKey, deviceKey, devicePassword, saltHex);
  return {
    devicePassword,
    config: { PasswordVerifier: pad(v).toString('base64'), Salt: pad(fromHex(saltHex)).toString('base64') },
  };
}
