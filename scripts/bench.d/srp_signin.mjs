// SRP sign-ins against a running emulator: sequential latency, then throughput under load.
//   node srp_signin.mjs URL MODE [SECONDS] [IN_FLIGHT]
// MODE: srp     USER_SRP_AUTH: InitiateAuth + PASSWORD_VERIFIER (2 round trips)
//       totp    the same plus a SOFTWARE_TOKEN_MFA answer (3 round trips)
//       device  the same plus DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER of a remembered device
//               (4 round trips)
// Prints one JSON object: {mode, sequential: {n, median_ms, p99_ms}, load: {seconds, in_flight,
// signins, per_s}}. Exits non-zero on the first refused request.
//
// The emulator does its whole work for every sign-in (g^b, (A·v^u)^b, two RS256 signatures), but
// this client must not compete with it for the same two cores: the bench users' verifiers are
// v = 1 (x = 0, imported through a fixture document, and ConfirmDevice for the device), and the
// client's a = 1 (A = g = 2), so its own S = (B − k·v)^(a + u·x) = B − k costs one subtraction.
import http from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';

const [url, mode = 'srp', secondsArg = '5', inFlightArg = '16'] = process.argv.slice(2);
const SECONDS = Number(secondsArg);
const IN_FLIGHT = Number(inFlightArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT + 2 });
const base = new URL(url);

const N = BigInt('0x' +
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF');
const K = 0x538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6n;
const A_HEX = '2';

// Java BigInteger.toByteArray() of a non-negative BigInt.
function pad(n) {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return Buffer.from(hex, 'hex');
}
const sha256 = (buf) => createHash('sha256').update(buf).digest();
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

function timestamp(epochSeconds) {
  const d = new Date(epochSeconds * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

// PASSWORD_CLAIM_SIGNATURE with v = 1, a = 1: S = B − k.
function proof(params, poolName, userId, now) {
  const B = BigInt('0x' + params.SRP_B);
  const A = 2n;
  const u = BigInt('0x' + sha256(Buffer.concat([pad(A), pad(B)])).toString('hex'));
  const S = ((B - K) % N + N) % N;
  const key = hmac(hmac(pad(u), pad(S)), Buffer.from('Caldera Derived Key\x01', 'latin1')).subarray(0, 16);
  const ts = timestamp(now);
  const sig = hmac(key, Buffer.concat([Buffer.from(poolName), Buffer.from(userId),
    Buffer.from(params.SECRET_BLOCK, 'base64'), Buffer.from(ts)])).toString('base64');
  return { TIMESTAMP: ts, PASSWORD_CLAIM_SIGNATURE: sig, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK };
}

const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
function request(method, path, body, target) {
  const headers = { 'content-type': target ? 'application/x-amz-json-1.1' : 'application/json' };
  if (target) {
    headers['x-amz-target'] = `AWSCognitoIdentityProviderService.${target}`;
    headers.authorization = `AWS4-HMAC-SHA256 Credential=test/${day}/us-east-1/cognito-idp/aws4_request, ` +
      `SignedHeaders=host, Signature=${'0'.repeat(64)}`;
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path, method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${target ?? path}: HTTP ${res.statusCode}: ${text}`));
        else resolve(text ? JSON.parse(text) : {});
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
const call = (op, body) => request('POST', '/', body, op);
const control = (method, path, body) => request(method, path, body);

function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// ---- the world: a pool, a client, users with v = 1 ----
const users = mode === 'totp' ? 256 : 1;
const passwordHash = {
  algorithm: 'PBKDF2-HMAC-SHA256', iterations: 1, salt: randomBytes(16).toString('base64'),
  hash: randomBytes(32).toString('base64'), srp: { salt: '01', verifier: '1' },
};
const pool = {
  PoolName: `bench-${mode}`,
  Clients: [{ ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
  Users: Array.from({ length: users }, (_, i) => ({ Username: `u${i}`, PasswordHash: passwordHash })),
};
if (mode === 'totp') Object.assign(pool, { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
if (mode === 'device') pool.DeviceConfiguration = { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false };
const { created } = await control('POST', '/_emulator/fixtures', { UserPools: [pool] });
const poolId = created.UserPools[0].Id;
const clientId = created.UserPools[0].Clients[0].ClientId;
const poolName = poolId.split('_')[1];

let clockNow = (await control('GET', '/_emulator/clock')).now;
const emulatorNow = () => (mode === 'totp' ? clockNow : Math.floor(Date.now() / 1000));

const state = new Map();  // username -> {secret?, deviceKey?, groupKey?}

// One sign-in; `code` is the TOTP code to answer with (totp mode).
async function signIn(username, code) {
  const st = state.get(username);
  const init = await call('InitiateAuth', {
    ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A_HEX },
  });
  const p = init.ChallengeParameters;
  const responses = { USERNAME: p.USER_ID_FOR_SRP, ...proof(p, poolName, p.USER_ID_FOR_SRP, emulatorNow()) };
  if (st?.deviceKey) responses.DEVICE_KEY = st.deviceKey;
  let r = await call('RespondToAuthChallenge', {
    ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: init.Session, ChallengeResponses: responses,
  });
  if (r.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
    r = await call('RespondToAuthChallenge', {
      ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: r.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
    });
  }
  if (r.ChallengeName === 'DEVICE_SRP_AUTH') {
    const v = await call('RespondToAuthChallenge', {
      ClientId: clientId, ChallengeName: 'DEVICE_SRP_AUTH', Session: r.Session,
      ChallengeResponses: { USERNAME: username, DEVICE_KEY: st.deviceKey, SRP_A: A_HEX },
    });
    r = await call('RespondToAuthChallenge', {
      ClientId: clientId, ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: v.Session,
      ChallengeResponses: { USERNAME: username, DEVICE_KEY: st.deviceKey,
        ...proof(v.ChallengeParameters, st.groupKey, st.deviceKey, emulatorNow()) },
    });
  }
  if (!r.AuthenticationResult?.AccessToken) throw new Error(`sign-in ended with ${JSON.stringify(r).slice(0, 300)}`);
  return r.AuthenticationResult;
}

// Setup per mode.
for (let i = 0; i < users; ++i) state.set(`u${i}`, {});
if (mode === 'device') {
  const first = await signIn('u0');
  const meta = first.NewDeviceMetadata;
  const one = Buffer.from([1]).toString('base64');
  await call('ConfirmDevice', { AccessToken: first.AccessToken, DeviceKey: meta.DeviceKey, DeviceName: 'bench',
    DeviceSecretVerifierConfig: { PasswordVerifier: one, Salt: one } });
  state.set('u0', { deviceKey: meta.DeviceKey, groupKey: meta.DeviceGroupKey });
}
if (mode === 'totp') {
  await control('POST', '/_emulator/clock', { freeze: true });
  clockNow = (await control('GET', '/_emulator/clock')).now;
  for (const username of state.keys()) {
    const tokens = await signIn(username);
    const { SecretCode } = await call('AssociateSoftwareToken', { AccessToken: tokens.AccessToken });
    await call('VerifySoftwareToken', { AccessToken: tokens.AccessToken, UserCode: totp(SecretCode, Math.floor(clockNow / 30)) });
    await call('AdminSetUserMFAPreference', { UserPoolId: poolId, Username: username,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    state.get(username).secret = SecretCode;
  }
}

// Work items: totp mode hands out (user, code) pairs; a code is good once per 30-s step, so each
// user is used for the steps s−1, s, s+1 in that order, then the clock moves on three steps.
let queue = [];
async function refill() {
  await control('POST', '/_emulator/clock', { advance: 90 });
  clockNow = (await control('GET', '/_emulator/clock')).now;
  const step = Math.floor(clockNow / 30);
  queue = [];
  for (const delta of [-1, 0, 1]) {
    for (const [username, st] of state) queue.push([username, totp(st.secret, step + delta)]);
  }
  queue.reverse();  // pop() takes the earliest step first
}
async function nextItem() {
  if (mode !== 'totp') return ['u0', undefined];
  while (queue.length === 0) {
    if (!refilling) refilling = (async () => { await drain(); await refill(); refilling = null; })();
    await refilling;
  }
  return queue.pop();
}
let refilling = null;
let inFlight = 0;
let drained = [];
async function drain() { while (inFlight > 0) await new Promise((r) => drained.push(r)); }
async function one() {
  const [username, code] = await nextItem();
  inFlight++;
  try {
    await signIn(username, code);
  } finally {
    inFlight--;
    const waiting = drained;
    drained = [];
    waiting.forEach((r) => r());
  }
}

// Sequential latency (after a few sign-ins that warm up the pool's signing keys and caches).
for (let i = 0; i < 5; ++i) await one();
const latencies = [];
for (let i = 0; i < 60; ++i) {
  const t = process.hrtime.bigint();
  await one();
  latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
}
latencies.sort((a, b) => a - b);

// Throughput.
let count = 0;
const deadline = Date.now() + SECONDS * 1000;
const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
  while (Date.now() < deadline) {
    await one();
    count++;
  }
}));
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({
  mode,
  sequential: { n: latencies.length, median_ms: latencies[latencies.length >> 1], p99_ms: latencies[Math.floor(latencies.length * 0.99)] },
  load: { seconds: Number(elapsed.toFixed(2)), in_flight: IN_FLIGHT, signins: count, per_s: Number((count / elapsed).toFixed(1)) },
}));
agent.destroy();
