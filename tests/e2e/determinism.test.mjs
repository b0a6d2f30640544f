// Determinism: with --seed, --clock and --freeze-clock two fresh emulators given the same calls
// answer byte for byte the same (IDs, secrets, subs, codes, tokens, signing keys).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startEmulator, idpClient } from './harness.mjs';
import {
  createPool, createClient, lastMessage, passwordAuth, secretHash, decodeJwt, fetchJwks, getClock, PASSWORD,
} from './support/idp.mjs';

const T2030 = 1893456000; // 2030-01-01T00:00:00Z
const ARGS = (seed) => ['--seed', String(seed), '--clock', '2030-01-01T00:00:00Z', '--freeze-clock'];

/** One fresh emulator (ephemeral: the harness's default), the fixed call sequence, everything it generated. */
async function run(seed) {
  const emu = await startEmulator({ args: ARGS(seed) });
  const idp = idpClient(emu.url);
  try {
    assert.deepEqual(await getClock(emu.url), { now: T2030, frozen: true });
    const pool = await createPool(idp, { PoolName: 'determinism', AutoVerifiedAttributes: ['email'] });
    const client = await createClient(idp, pool.Id, { ClientName: 'app', GenerateSecret: true });
    const hash = secretHash(client.ClientSecret, 'dora', client.ClientId);
    const signUp = await idp.send(new SignUpCommand({
      ClientId: client.ClientId, SecretHash: hash, Username: 'dora', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'dora@example.com' }],
    }));
    const message = await lastMessage(emu.url, pool.Id, 'dora');
    await idp.send(new ConfirmSignUpCommand({
      ClientId: client.ClientId, SecretHash: hash, Username: 'dora', ConfirmationCode: message.code,
    }));
    const { AuthenticationResult: tokens } = await passwordAuth(idp, client.ClientId, 'dora', PASSWORD,
      { SECRET_HASH: hash });
    const jwks = await fetchJwks(emu.url, pool.Id);
    return {
      poolId: pool.Id,
      clientId: client.ClientId,
      clientSecret: client.ClientSecret,
      userSub: signUp.UserSub,
      code: message.code,
      idToken: tokens.IdToken,
      accessToken: tokens.AccessToken,
      refreshToken: tokens.RefreshToken,
      jwks: JSON.stringify(jwks),
    };
  } finally {
    idp.destroy();
    await emu.stop();
  }
}

describe('determinism', { timeout: 120_000 }, () => {
  test('--seed 42 --clock 2030-01-01T00:00:00Z --freeze-clock: two runs are byte-identical', async () => {
    const a = await run(42);
    const b = await run(42);
    for (const [k, v] of Object.entries(a)) {
      assert.equal(typeof v, 'string', `${k} is a string`);
      assert.ok(v.length > 0, `${k} is not empty`);
    }
    for (const k of Object.keys(a)) assert.equal(b[k], a[k], `${k} differs between runs`);
    assert.deepEqual(b, a);

    // and the tokens are stamped with the frozen time
    for (const token of [a.idToken, a.accessToken]) {
      const { payload } = decodeJwt(token);
      assert.equal(payload.iat, T2030);
      assert.equal(payload.auth_time, T2030);
      assert.equal(payload.exp, T2030 + 3600);
      assert.equal(payload.sub, a.userSub);
    }
    assert.match(a.code, /^\d{6}$/);
  });

  test('another seed gives other values', async () => {
    const a = await run(42);
    const c = await run(43);
    for (const k of ['poolId', 'clientId', 'clientSecret', 'userSub', 'idToken', 'accessToken', 'refreshToken', 'jwks']) {
      assert.notEqual(c[k], a[k], `${k} should depend on the seed`);
    }
  });
});
