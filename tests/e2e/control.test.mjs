// The emulator's control API: health, clock, reset.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateUserPoolCommand, DescribeUserPoolCommand, ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startEmulator, idpClient, httpRequest, catchError, BIN } from './harness.mjs';

async function getClock(url) {
  const r = await httpRequest(url, { path: '/_emulator/clock' });
  assert.equal(r.status, 200, r.text);
  assertClockShape(r.json);
  return r.json;
}

async function postClock(url, body) {
  const r = await httpRequest(url, {
    method: 'POST', path: '/_emulator/clock',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(r.status, 200, `POST /_emulator/clock ${JSON.stringify(body)} → ${r.status} ${r.text}`);
  assertClockShape(r.json);
  return r.json;
}

function assertClockShape(j) {
  assert.ok(j && typeof j === 'object', 'clock body is a JSON object');
  assert.equal(typeof j.now, 'number', `now is a number: ${JSON.stringify(j)}`);
  assert.ok(Number.isFinite(j.now));
  assert.equal(typeof j.frozen, 'boolean', `frozen is a boolean: ${JSON.stringify(j)}`);
}

const near = (actual, expected, tol, what) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} not within ${tol} of ${expected}`);

describe('control API', { timeout: 60_000 }, () => {
  let emu;
  let idp;
  before(async () => {
    emu = await startEmulator();
    idp = idpClient(emu.url);
  });
  after(async () => {
    idp?.destroy();
    await emu?.stop();
  });

  test('GET /_emulator/health', async () => {
    const r = await httpRequest(emu.url, { path: '/_emulator/health' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /json/);
    assert.equal(r.json.status, 'ok');
    assert.equal(typeof r.json.version, 'string');
    assert.match(r.json.version, /^\d+\.\d+\.\d+/);
    const printed = execFileSync(BIN, ['--version'], { encoding: 'utf8', timeout: 5000 });
    assert.ok(printed.includes(r.json.version), `--version output "${printed.trim()}" names ${r.json.version}`);
  });

  test('GET /_emulator/clock follows wall time by default', async () => {
    const c = await getClock(emu.url);
    assert.equal(c.frozen, false);
    near(c.now, Date.now() / 1000, 5, 'clock now');
  });

  test('set (epoch seconds) and CreationDate follows it', async () => {
    const T = 1_700_000_000;
    const c = await postClock(emu.url, { set: T });
    near(c.now, T, 1, 'now after set');
    assert.equal(c.frozen, false);
    near((await getClock(emu.url)).now, T, 1, 'GET after set');
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'at-set-time' }));
    near(p.CreationDate.getTime() / 1000, T, 1, 'CreationDate');
    const { UserPool: d } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }));
    near(d.CreationDate.getTime() / 1000, T, 1, 'described CreationDate');
    near(d.LastModifiedDate.getTime() / 1000, T, 1, 'described LastModifiedDate');
  });

  test('set (ISO-8601 string)', async () => {
    const iso = '2030-01-02T03:04:05Z';
    const T = Date.parse(iso) / 1000;
    assert.equal(T, 1893553445);
    const c = await postClock(emu.url, { set: iso });
    near(c.now, T, 1, 'now after ISO set');
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'at-iso-time' }));
    near(p.CreationDate.getTime() / 1000, T, 1, 'CreationDate after ISO set');
  });

  test('advance', async () => {
    const before = await getClock(emu.url);
    const c = await postClock(emu.url, { advance: 3600 });
    near(c.now, before.now + 3600, 1, 'now after advance');
    near((await getClock(emu.url)).now, before.now + 3600, 1, 'GET after advance');
  });

  test('freeze: the clock does not move; advance still works; unfreeze resumes', async () => {
    const f = await postClock(emu.url, { freeze: true });
    assert.equal(f.frozen, true);
    const a = await getClock(emu.url);
    assert.equal(a.frozen, true);
    await sleep(50);
    const b = await getClock(emu.url);
    assert.equal(b.now, a.now, 'frozen clock must not move across 50 ms');
    await sleep(1100);
    assert.equal((await getClock(emu.url)).now, a.now, 'frozen clock must not move across 1.1 s');

    const adv = await postClock(emu.url, { advance: 10 });
    assert.equal(adv.frozen, true);
    assert.equal(adv.now, a.now + 10, 'advance moves a frozen clock by exactly that much');

    const T = 1_800_000_000;
    const s = await postClock(emu.url, { set: T });
    assert.equal(s.now, T, 'set on a frozen clock is exact');
    assert.equal(s.frozen, true);
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'frozen-time' }));
    assert.equal(p.CreationDate.getTime() / 1000, T, 'CreationDate is the frozen time');

    const u = await postClock(emu.url, { freeze: false });
    assert.equal(u.frozen, false);
    near(u.now, T, 1, 'unfreeze resumes from the frozen time');
    await sleep(1100);
    const later = await getClock(emu.url);
    assert.equal(later.frozen, false);
    assert.ok(later.now > u.now, `clock moves again after unfreeze (${u.now} → ${later.now})`);
    near(later.now, u.now + 1.1, 1, 'and at wall-clock speed');
  });

  test('reset wipes all pools', async () => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'before-reset' }));
    const pre = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(pre.UserPools.length >= 1);
    const r = await httpRequest(emu.url, { method: 'POST', path: '/_emulator/reset' });
    assert.equal(r.status, 200, r.text);
    const post = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.deepEqual(post.UserPools, []);
    const err = await catchError(() => idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id })));
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.message, `User pool ${p.Id} does not exist.`);
    // the emulator keeps working after a reset
    const { UserPool: q } = await idp.send(new CreateUserPoolCommand({ PoolName: 'after-reset' }));
    const again = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.deepEqual(again.UserPools.map((x) => x.Id), [q.Id]);
  });
});
