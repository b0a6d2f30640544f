// `cognito-emulator ctl`: the same binary as a client of a running emulator's control API.
// Prints the JSON answer; exit 0 on success, 1 on an HTTP error answer, 2 when unreachable or
// given bad input.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { SignUpCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { BIN, REPO_ROOT } from './harness.mjs';
import {
  emulatorFor, createPool, createPoolAndClient, passwordAuth, expectError, getClock, readMessages, PASSWORD,
} from './support/idp.mjs';

const FIXTURE_FILE = path.join(REPO_ROOT, 'fixtures', 'basic.json');
const T2030 = 1893456000; // 2030-01-01T00:00:00Z
const FROZEN_2030 = ['--clock', '2030-01-01T00:00:00Z', '--freeze-clock'];

// No COGNITO_EMULATOR_* from the caller's shell: the tests pass everything explicitly.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COGNITO_EMULATOR_')));

/** Run `cognito-emulator ctl --endpoint URL ...args` → {code, stdout, stderr, json}. */
function ctl(url, args, { env = {}, endpoint = true } = {}) {
  const argv = ['ctl', ...(endpoint ? ['--endpoint', url] : []), ...args];
  return new Promise((resolve) => {
    execFile(BIN, argv, { env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      let json;
      try { json = JSON.parse(stdout); } catch { json = undefined; }
      resolve({ code, stdout, stderr, json });
    });
  });
}

async function ctlOk(url, args, opts) {
  const r = await ctl(url, args, opts);
  assert.equal(r.code, 0, `ctl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.ok(r.json !== undefined, `ctl ${args.join(' ')} printed JSON: ${r.stdout}`);
  return r.json;
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const poolIds = async (idp) => (await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools.map((p) => p.Id).sort();

describe('cognito-emulator ctl', { timeout: 120_000 }, () => {
  test('health', async (t) => {
    const { url } = await emulatorFor(t);
    const j = await ctlOk(url, ['health']);
    assert.equal(j.status, 'ok');
    assert.match(j.version, /^\d+\.\d+\.\d+/);
  });

  test('clock: show, advance 1h (exactly 3600 s), set, freeze, unfreeze', async (t) => {
    const { url } = await emulatorFor(t, { args: FROZEN_2030 });
    assert.deepEqual(await ctlOk(url, ['clock']), { now: T2030, frozen: true });
    assert.deepEqual(await ctlOk(url, ['clock', 'advance', '1h']), { now: T2030 + 3600, frozen: true });
    assert.deepEqual(await getClock(url), { now: T2030 + 3600, frozen: true });
    assert.deepEqual(await ctlOk(url, ['clock', 'advance', '90']), { now: T2030 + 3690, frozen: true });
    assert.deepEqual(await ctlOk(url, ['clock', 'advance', '15m']), { now: T2030 + 4590, frozen: true });
    assert.deepEqual(await ctlOk(url, ['clock', 'advance', '2d']), { now: T2030 + 4590 + 172800, frozen: true });
    assert.deepEqual(await ctlOk(url, ['clock', 'set', '2031-01-01T00:00:00Z']), { now: 1924992000, frozen: true });
    assert.deepEqual(await ctlOk(url, ['clock', 'set', '1800000000']), { now: 1800000000, frozen: true });
    const u = await ctlOk(url, ['clock', 'unfreeze']);
    assert.equal(u.frozen, false);
    assert.ok(u.now >= 1800000000 && u.now < 1800000002, `now ${u.now}`);
    assert.equal((await ctlOk(url, ['clock', 'freeze'])).frozen, true);
    assert.equal((await getClock(url)).frozen, true);
  });

  test('clock advance with a bad duration exits 2 and changes nothing', async (t) => {
    const { url } = await emulatorFor(t, { args: FROZEN_2030 });
    for (const bad of ['1x', 'soon', 'h']) {
      const r = await ctl(url, ['clock', 'advance', bad]);
      assert.equal(r.code, 2, `advance ${bad}: exit ${r.code} ${r.stdout} ${r.stderr}`);
      assert.match(r.stderr, /duration/);
    }
    const r = await ctl(url, ['clock', 'set', 'tomorrow']); // the emulator refuses it: HTTP 400
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(await getClock(url), { now: T2030, frozen: true });
  });

  test('messages: by pool and user; --clear', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AutoVerifiedAttributes: ['email'] });
    for (const u of ['mia', 'max']) {
      await idp.send(new SignUpCommand({ ClientId: clientId, Username: u, Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: `${u}@example.com` }] }));
    }
    const all = await ctlOk(url, ['messages']);
    assert.equal(all.messages.length, 2);
    const mine = await ctlOk(url, ['messages', '--pool', poolId, '--user', 'mia']);
    assert.equal(mine.messages.length, 1);
    const [m] = mine.messages;
    assert.equal(m.username, 'mia');
    assert.equal(m.userPoolId, poolId);
    assert.match(m.code, /^\d{6}$/);
    assert.deepEqual(mine.messages, await readMessages(url, poolId, 'mia'));
    assert.deepEqual(await ctlOk(url, ['messages', '--pool', 'us-east-1_Nope']), { messages: [] });
    assert.deepEqual(await ctlOk(url, ['messages', '--clear']), { deleted: 2 });
    assert.deepEqual(await ctlOk(url, ['messages']), { messages: [] });
  });

  test('faults add / list / remove / clear', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const f = await ctlOk(url, ['faults', 'add', '--operation', 'ListUserPools', '--error', 'TooManyRequestsException',
      '--count', '2']);
    assert.deepEqual(f, { id: f.id, operation: 'ListUserPools', count: 2, delayMs: 0,
      error: 'TooManyRequestsException', message: 'Rate exceeded', statusCode: 400 });
    assert.deepEqual(await ctlOk(url, ['faults', 'list']), { faults: [f] });
    await expectError(idp.send(new ListUserPoolsCommand({ MaxResults: 10 })), 'TooManyRequestsException', 'Rate exceeded');
    assert.equal((await ctlOk(url, ['faults', 'list'])).faults[0].count, 1);
    assert.deepEqual(await ctlOk(url, ['faults', 'remove', f.id]), { id: f.id, deleted: true });
    assert.deepEqual(await ctlOk(url, ['faults', 'list']), { faults: [] });
    await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    const gone = await ctl(url, ['faults', 'remove', f.id]);
    assert.equal(gone.code, 1, `removing an unknown fault: ${gone.stdout} ${gone.stderr}`);

    const g = await ctlOk(url, ['faults', 'add', '--operation', 'cognito-idp.CreateUserPool', '--error', 'InternalErrorException',
      '--message', 'boom', '--status', '503', '--count', '-1', '--match', '{"PoolName":"doomed"}']);
    assert.deepEqual(g, { id: g.id, operation: 'cognito-idp.CreateUserPool', count: -1, delayMs: 0,
      error: 'InternalErrorException', message: 'boom', statusCode: 503, match: { PoolName: 'doomed' } });
    await expectError(createPool(idp, { PoolName: 'doomed' }), 'InternalErrorException', 'boom', 503);
    await createPool(idp, { PoolName: 'fine' });
    const d = await ctlOk(url, ['faults', 'add', '--operation', '*', '--delay-ms', '250']);
    assert.equal(d.delayMs, 250);
    assert.equal(d.error, undefined);
    assert.deepEqual(await ctlOk(url, ['faults', 'clear']), { deleted: 2 });
    assert.deepEqual(await ctlOk(url, ['faults', 'list']), { faults: [] });

    const badMatch = await ctl(url, ['faults', 'add', '--operation', 'SignUp', '--error', 'X', '--match', 'not json']);
    assert.equal(badMatch.code, 2, badMatch.stderr);
    const refused = await ctl(url, ['faults', 'add', '--operation', 'SignUp']); // neither error nor delay: HTTP 400
    assert.equal(refused.code, 1, refused.stderr);
    assert.deepEqual(await ctlOk(url, ['faults', 'list']), { faults: [] });
  });

  test('snapshot save / list / restore / delete', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const p = await createPool(idp);
    const saved = await ctlOk(url, ['snapshot', 'save', 'one']);
    assert.equal(saved.name, 'one');
    const q = await createPool(idp);
    assert.deepEqual(await poolIds(idp), [p.Id, q.Id].sort());
    assert.deepEqual(await ctlOk(url, ['snapshot', 'restore', 'one']), { name: 'one', restored: true });
    assert.deepEqual(await poolIds(idp), [p.Id]);
    assert.deepEqual(await ctlOk(url, ['snapshot', 'list']), { snapshots: [{ name: 'one', entries: saved.entries }] });
    assert.deepEqual(await ctlOk(url, ['snapshot', 'delete', 'one']), { name: 'one', deleted: true });
    assert.deepEqual(await ctlOk(url, ['snapshot', 'list']), { snapshots: [] });
    const missing = await ctl(url, ['snapshot', 'restore', 'one']);
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /no snapshot named one/);
  });

  test('reset and reset --to-fixtures', async (t) => {
    const { url, idp } = await emulatorFor(t, { args: ['--fixtures', FIXTURE_FILE] });
    await createPool(idp);
    assert.equal((await poolIds(idp)).length, 2);
    assert.deepEqual(await ctlOk(url, ['reset', '--to-fixtures']), { status: 'reset', fixtures: true });
    assert.deepEqual(await poolIds(idp), ['us-east-1_Example1']);
    assert.deepEqual(await ctlOk(url, ['reset']), { status: 'reset', fixtures: false });
    assert.deepEqual(await poolIds(idp), []);
  });

  test('fixtures apply fixtures/basic.json, then export', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const applied = await ctlOk(url, ['fixtures', 'apply', FIXTURE_FILE]);
    assert.equal(applied.created.UserPools[0].Id, 'us-east-1_Example1');
    assert.deepEqual(applied.created.UserPools[0].Users.map((u) => u.Username), ['alice', 'bob', 'carol']);
    const { AuthenticationResult } = await passwordAuth(idp, 'exampleclient0000000000001', 'alice', 'Passw0rd!');
    assert.ok(AuthenticationResult.AccessToken);
    const again = await ctl(url, ['fixtures', 'apply', FIXTURE_FILE]); // the pool exists now: HTTP 400
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /UserPools\[0\]\.Id/);
    const missing = await ctl(url, ['fixtures', 'apply', path.join(REPO_ROOT, 'fixtures', 'no-such-file.json')]);
    assert.equal(missing.code, 2, missing.stderr);

    const exported = await ctlOk(url, ['export']);
    assert.deepEqual(exported.UserPools.map((p) => p.Id), ['us-east-1_Example1']);
  });

  test('requests --operation --limit', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const a = await createPool(idp);
    const b = await createPool(idp);
    await poolIds(idp);
    const r = await ctlOk(url, ['requests', '--operation', 'CreateUserPool', '--limit', '1']);
    assert.equal(r.requests.length, 1);
    assert.equal(r.requests[0].operation, 'cognito-idp.CreateUserPool');
    assert.equal(r.requests[0].output.UserPool.Id, b.Id);
    const all = await ctlOk(url, ['requests']);
    assert.deepEqual(all.requests.map((x) => x.operation),
      ['cognito-idp.ListUserPools', 'cognito-idp.CreateUserPool', 'cognito-idp.CreateUserPool']);
    assert.equal(all.requests[2].output.UserPool.Id, a.Id);
  });

  test('--token for an emulator with --control-token (also from COGNITO_EMULATOR_CONTROL_TOKEN)', async (t) => {
    const { url } = await emulatorFor(t, { args: ['--control-token', 'tok-123'] });
    const denied = await ctl(url, ['health']);
    assert.equal(denied.code, 1, denied.stdout);
    const wrong = await ctl(url, ['--token', 'nope', 'health']);
    assert.equal(wrong.code, 1);
    assert.equal((await ctlOk(url, ['--token', 'tok-123', 'health'])).status, 'ok');
    assert.equal((await ctlOk(url, ['health'], { env: { COGNITO_EMULATOR_CONTROL_TOKEN: 'tok-123' } })).status, 'ok');
  });

  test('the endpoint from COGNITO_EMULATOR_ENDPOINT', async (t) => {
    const { url } = await emulatorFor(t);
    const j = await ctlOk(url, ['health'], { endpoint: false, env: { COGNITO_EMULATOR_ENDPOINT: url } });
    assert.equal(j.status, 'ok');
  });

  test('an unreachable endpoint exits 2', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    for (const args of [['health'], ['clock', 'advance', '1h'], ['reset'], ['faults', 'list']]) {
      const r = await ctl(url, args);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code} ${r.stdout} ${r.stderr}`);
      assert.match(r.stderr, /cannot reach/);
      assert.equal(r.stdout, '');
    }
  });
});
