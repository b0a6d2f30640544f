// The control plane tests rely on: clock (--clock/--freeze-clock and /_emulator/clock), reset
// (plain, to the start-up fixtures, moto's /moto-api/reset), snapshots, fault injection, request
// history, control-plane security (--control-token, --no-control) and fixture documents
// (--fixtures, POST /_emulator/fixtures, GET /_emulator/export).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CognitoIdentityProviderClient, CreateUserPoolCommand, DescribeUserPoolCommand, ListUserPoolsCommand,
  DescribeUserPoolClientCommand, AdminGetUserCommand, AdminSetUserPasswordCommand, AdminDisableUserCommand, AdminDeleteUserCommand,
  SignUpCommand, ConfirmSignUpCommand, GetUserCommand, InitiateAuthCommand, DeleteUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { REPO_ROOT, REGION, CREDENTIALS, idpRaw, tempDir, removeDir } from './harness.mjs';
import {
  emulatorFor, httpRequest, createPool, createPoolAndClient, createClient, createConfirmedUser, passwordAuth,
  expectError, readMessages, lastMessage, getClock, setClock, decodeJwt, attrMap, secretHash, PASSWORD,
  UUID_V4_RE,
} from './support/idp.mjs';

const FIXTURE_FILE = path.join(REPO_ROOT, 'fixtures', 'basic.json');
const BASIC = readFileSync(FIXTURE_FILE, 'utf8');
const EXAMPLE_POOL = 'us-east-1_Example1';
const WEB_CLIENT = 'exampleclient0000000000001';
const BACKEND_CLIENT = 'exampleclient0000000000002';
const BACKEND_SECRET = 'examplesecret00000000000000000000000000000000000001';
const ALICE_SUB = 'a11ce000-0000-4000-8000-000000000001';
const T2030 = 1893456000; // 2030-01-01T00:00:00Z
const FROZEN_2030 = ['--clock', '2030-01-01T00:00:00Z', '--freeze-clock'];

/** A control-API call: JSON body (POST always carries one), connection: close. */
function control(url, method, p, body, headers = {}) {
  const opts = { method, path: p, headers: { ...headers } };
  if (method === 'POST' || body !== undefined) {
    opts.body = typeof body === 'string' ? body : JSON.stringify(body ?? {});
    opts.headers['content-type'] = 'application/json';
  }
  return httpRequest(url, opts);
}

async function ok(url, method, p, body, headers) {
  const r = await control(url, method, p, body, headers);
  assert.equal(r.status, 200, `${method} ${p} → ${r.status} ${r.text}`);
  return r.json;
}

const poolIds = async (idp) => (await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools.map((p) => p.Id).sort();
const addFault = (url, spec) => ok(url, 'POST', '/_emulator/faults', spec);
const listFaults = async (url) => (await ok(url, 'GET', '/_emulator/faults')).faults;
const requests = async (url, query = '') => (await ok(url, 'GET', `/_emulator/requests${query}`)).requests;

/** An SDK client that retries (standard mode, 3 attempts). */
function retryingClient(url) {
  return new CognitoIdentityProviderClient({
    region: REGION, endpoint: url, credentials: { ...CREDENTIALS }, maxAttempts: 3,
  });
}

/** A pool that sends email codes + a public client with the password flows. */
async function signUpPool(idp) {
  return createPoolAndClient(idp, { AutoVerifiedAttributes: ['email'] });
}

describe('clock', { timeout: 60_000 }, () => {
  test('--clock ISO-8601 with --freeze-clock: exact, still, and stamped on resources', async (t) => {
    const { url, idp } = await emulatorFor(t, { args: FROZEN_2030 });
    assert.deepEqual(await getClock(url), { now: T2030, frozen: true });
    await new Promise((r) => setTimeout(r, 1100));
    assert.deepEqual(await getClock(url), { now: T2030, frozen: true });
    const pool = await createPool(idp);
    assert.equal(pool.CreationDate.getTime(), T2030 * 1000);
    assert.equal(pool.LastModifiedDate.getTime(), T2030 * 1000);
  });

  test('--clock epoch seconds, running', async (t) => {
    const { url } = await emulatorFor(t, { args: ['--clock', '1700000000'] });
    const c = await getClock(url);
    assert.equal(c.frozen, false);
    assert.ok(c.now >= 1700000000 && c.now < 1700000005, `now ${c.now}`);
  });

  test('--clock rejects a non-time', async (t) => {
    const err = await emulatorFor(t, { args: ['--clock', 'yesterday'] }).then(() => null, (e) => e);
    assert.ok(err, 'the emulator must refuse --clock yesterday');
    assert.match(err.message, /--clock/);
  });

  test('POST /_emulator/clock set/advance/freeze on a frozen clock is exact', async (t) => {
    const { url } = await emulatorFor(t, { args: FROZEN_2030 });
    assert.deepEqual(await setClock(url, { advance: 3600 }), { now: T2030 + 3600, frozen: true });
    assert.deepEqual(await setClock(url, { set: '2031-06-01T12:00:00Z' }), { now: Date.parse('2031-06-01T12:00:00Z') / 1000, frozen: true });
    assert.deepEqual(await setClock(url, { set: 1800000000 }), { now: 1800000000, frozen: true });
    assert.deepEqual(await setClock(url, { advance: -60 }), { now: 1800000000 - 60, frozen: true });
    assert.deepEqual(await setClock(url, { set: '2030-01-01T02:00:00+02:00' }), { now: T2030, frozen: true });
    const u = await setClock(url, { freeze: false });
    assert.equal(u.frozen, false);
    assert.ok(u.now >= T2030 && u.now < T2030 + 2, `unfrozen at ${u.now}`);
    assert.equal((await setClock(url, { freeze: true })).frozen, true);
  });

  test('bad clock bodies → 400 and nothing changes', async (t) => {
    const { url } = await emulatorFor(t, { args: FROZEN_2030 });
    for (const body of [{}, { set: 'soon' }, { advance: '1h' }, { freeze: 'yes' }, '[]', 'not json']) {
      const r = await control(url, 'POST', '/_emulator/clock', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
      assert.equal(typeof r.json?.error, 'string', r.text);
    }
    // validated before anything changes: a good "set" with a bad "advance" is not applied
    assert.equal((await control(url, 'POST', '/_emulator/clock', { set: 1800000000, advance: 'x' })).status, 400);
    assert.deepEqual(await getClock(url), { now: T2030, frozen: true });
  });

  test('advancing past the access token lifetime expires it', async (t) => {
    const { url, idp } = await emulatorFor(t, { args: FROZEN_2030 });
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'tom');
    const { AuthenticationResult: r } = await passwordAuth(idp, clientId, 'tom', PASSWORD);
    const claims = decodeJwt(r.AccessToken).payload;
    assert.equal(claims.iat, T2030);
    assert.equal(claims.exp, T2030 + 3600);
    await setClock(url, { advance: 3599 });
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: r.AccessToken }))).Username, 'tom');
    await setClock(url, { advance: 1 });
    await expectError(idp.send(new GetUserCommand({ AccessToken: r.AccessToken })),
      'NotAuthorizedException', 'Access Token has expired');
  });
});

describe('reset', { timeout: 60_000 }, () => {
  test('POST /_emulator/reset wipes pools, outbox, faults and request history', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await signUpPool(idp);
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: 'una', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'una@example.com' }] }));
    assert.equal((await readMessages(url)).length, 1);
    await addFault(url, { operation: 'AdminGetUser', error: 'TooManyRequestsException', count: -1 });
    assert.ok((await requests(url)).length > 0);

    assert.deepEqual(await ok(url, 'POST', '/_emulator/reset', {}), { status: 'reset', fixtures: false });
    assert.deepEqual(await poolIds(idp), []);
    assert.deepEqual(await readMessages(url), []);
    assert.deepEqual(await listFaults(url), []);
    // the ListUserPools above is the only call since the reset
    assert.deepEqual((await requests(url)).map((r) => r.operation), ['cognito-idp.ListUserPools']);
    await expectError(idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      'ResourceNotFoundException', `User pool ${poolId} does not exist.`);
    const again = await createPool(idp); // still serving
    assert.deepEqual(await poolIds(idp), [again.Id]);
  });

  test('POST /moto-api/reset does the same', async (t) => {
    const { url, idp } = await emulatorFor(t);
    await createPool(idp);
    await addFault(url, { operation: '*', delayMs: 1, count: -1 });
    assert.deepEqual(await ok(url, 'POST', '/moto-api/reset', {}), { status: 'reset', fixtures: false });
    assert.deepEqual(await listFaults(url), []);
    assert.deepEqual(await poolIds(idp), []);
  });

  test('reset to the start-up fixtures ({"fixtures": true} and ?to=fixtures); plain reset empties', async (t) => {
    const { url, idp } = await emulatorFor(t, { args: ['--fixtures', FIXTURE_FILE] });
    const mutate = async () => {
      await createPool(idp);
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: EXAMPLE_POOL, Username: 'alice',
        Password: 'Changed-pass1', Permanent: true }));
      await idp.send(new AdminDisableUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'carol' }));
      await idp.send(new AdminDeleteUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'bob' }));
      assert.equal((await poolIds(idp)).length, 2);
    };
    const assertFixtureState = async () => {
      assert.deepEqual(await poolIds(idp), [EXAMPLE_POOL]);
      const alice = await idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'alice' }));
      assert.equal(attrMap(alice.UserAttributes)['custom:tier'], 'gold');
      assert.equal(attrMap(alice.UserAttributes).sub, ALICE_SUB);
      const carol = await idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'carol' }));
      assert.equal(carol.Enabled, true);
      const bob = await idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'bob' }));
      assert.equal(bob.UserStatus, 'UNCONFIRMED');
      const { AuthenticationResult } = await passwordAuth(idp, WEB_CLIENT, 'alice', 'Passw0rd!');
      assert.equal(decodeJwt(AuthenticationResult.IdToken).payload.sub, ALICE_SUB);
    };
    await assertFixtureState();
    await mutate();
    assert.deepEqual(await ok(url, 'POST', '/_emulator/reset', { fixtures: true }), { status: 'reset', fixtures: true });
    await assertFixtureState();
    await mutate();
    assert.deepEqual(await ok(url, 'POST', '/_emulator/reset?to=fixtures', {}), { status: 'reset', fixtures: true });
    await assertFixtureState();
    await mutate();
    assert.deepEqual(await ok(url, 'POST', '/moto-api/reset?to=fixtures', {}), { status: 'reset', fixtures: true });
    await assertFixtureState();
    assert.deepEqual(await ok(url, 'POST', '/_emulator/reset', {}), { status: 'reset', fixtures: false });
    assert.deepEqual(await poolIds(idp), []);
    // and back again: the start-up state is kept after a plain reset
    await ok(url, 'POST', '/_emulator/reset', { fixtures: true });
    await assertFixtureState();
  });

  test('reset to fixtures without start-up fixtures just wipes', async (t) => {
    const { url, idp } = await emulatorFor(t);
    await createPool(idp);
    assert.deepEqual(await ok(url, 'POST', '/_emulator/reset', { fixtures: true }), { status: 'reset', fixtures: false });
    assert.deepEqual(await poolIds(idp), []);
  });
});

describe('snapshots', { timeout: 60_000 }, () => {
  test('save, change, restore, list, delete', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'sam');

    const saved = await ok(url, 'POST', '/_emulator/snapshots/before-changes', {});
    assert.equal(saved.name, 'before-changes');
    assert.equal(typeof saved.entries, 'number');
    assert.ok(saved.entries > 0);

    // change everything: a new pool, a new user, and the original pool deleted
    const other = await createPool(idp);
    await createConfirmedUser(idp, other.Id, 'sid');
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    assert.deepEqual(await poolIds(idp), [other.Id]);

    assert.deepEqual(await ok(url, 'POST', '/_emulator/snapshots/before-changes/restore', {}),
      { name: 'before-changes', restored: true });
    assert.deepEqual(await poolIds(idp), [poolId]);
    const { AuthenticationResult } = await passwordAuth(idp, clientId, 'sam', PASSWORD);
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: AuthenticationResult.AccessToken }))).Username, 'sam');

    // a snapshot is a copy: changes after a restore do not alter it
    await createPool(idp);
    await ok(url, 'POST', '/_emulator/snapshots/before-changes/restore', {});
    assert.deepEqual(await poolIds(idp), [poolId]);

    // snapshots survive a reset
    await ok(url, 'POST', '/_emulator/snapshots/second.snap_2', {});
    await ok(url, 'POST', '/_emulator/reset', {});
    assert.deepEqual(await poolIds(idp), []);
    await ok(url, 'POST', '/_emulator/snapshots/second.snap_2/restore', {});
    assert.deepEqual(await poolIds(idp), [poolId]);

    const list = await ok(url, 'GET', '/_emulator/snapshots');
    assert.deepEqual(list.snapshots.map((s) => s.name).sort(), ['before-changes', 'second.snap_2']);
    assert.equal(list.snapshots.find((s) => s.name === 'before-changes').entries, saved.entries);

    assert.deepEqual(await ok(url, 'DELETE', '/_emulator/snapshots/before-changes'), { name: 'before-changes', deleted: true });
    assert.deepEqual((await ok(url, 'GET', '/_emulator/snapshots')).snapshots.map((s) => s.name), ['second.snap_2']);
    const gone = await control(url, 'POST', '/_emulator/snapshots/before-changes/restore', {});
    assert.equal(gone.status, 404, gone.text);
    assert.deepEqual(gone.json, { error: 'no snapshot named before-changes' });
    const del = await control(url, 'DELETE', '/_emulator/snapshots/before-changes');
    assert.equal(del.status, 404, del.text);
  });

  test('saving under an existing name replaces it; over-long names are refused', async (t) => {
    const { url, idp } = await emulatorFor(t);
    await ok(url, 'POST', '/_emulator/snapshots/s', {});
    const p = await createPool(idp);
    await ok(url, 'POST', '/_emulator/snapshots/s', {});
    await ok(url, 'POST', '/_emulator/reset', {});
    await ok(url, 'POST', '/_emulator/snapshots/s/restore', {});
    assert.deepEqual(await poolIds(idp), [p.Id]);
    assert.equal((await ok(url, 'GET', '/_emulator/snapshots')).snapshots.length, 1);
    const long = await control(url, 'POST', `/_emulator/snapshots/${'x'.repeat(129)}`, {});
    assert.equal(long.status, 400, long.text);
  });
});

describe('faults', { timeout: 90_000 }, () => {
  test('an injected TooManyRequestsException fails the next matching call exactly as AWS does, once', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { clientId } = await signUpPool(idp);
    const f = await addFault(url, { operation: 'SignUp', error: 'TooManyRequestsException' });
    assert.match(f.id, /^[A-Za-z0-9-]+$/);
    assert.deepEqual(f, { id: f.id, operation: 'SignUp', count: 1, delayMs: 0,
      error: 'TooManyRequestsException', message: 'Rate exceeded', statusCode: 400 });
    assert.deepEqual(await listFaults(url), [f]);

    // another operation is unaffected
    await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    const input = { ClientId: clientId, Username: 'tess', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'tess@example.com' }] };
    await expectError(idp.send(new SignUpCommand(input)), 'TooManyRequestsException', 'Rate exceeded', 400);
    assert.deepEqual(await listFaults(url), [], 'count 1: used up');
    // nothing happened: the user was not created
    const ok1 = await idp.send(new SignUpCommand(input));
    assert.equal(ok1.UserConfirmed, false);
  });

  test('wire format of an injected error (raw call)', async (t) => {
    const { url, idp } = await emulatorFor(t);
    await createPool(idp);
    await addFault(url, { operation: 'cognito-idp.ListUserPools', error: 'TooManyRequestsException' });
    const r = await idpRaw(url, 'ListUserPools', { MaxResults: 10 }, { connection: 'close' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { __type: 'TooManyRequestsException', message: 'Rate exceeded' });
    assert.equal(r.headers.get('x-amzn-errortype').split(':')[0], 'TooManyRequestsException');
    assert.match(r.headers.get('content-type'), /application\/x-amz-json-1\.1/);
    assert.ok(r.headers.get('x-amzn-requestid'));
    const again = await idpRaw(url, 'ListUserPools', { MaxResults: 10 }, { connection: 'close' });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.UserPools.length, 1);
  });

  test('InternalErrorException is a 500; statusCode and message override', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const f = await addFault(url, { operation: '*', error: 'InternalErrorException' });
    assert.equal(f.statusCode, 500);
    assert.equal(f.message, 'Internal server error.');
    const e = await expectError(idp.send(new ListUserPoolsCommand({ MaxResults: 10 })),
      'InternalErrorException', 'Internal server error.', 500);
    assert.equal(e.$metadata.attempts, 1);

    await addFault(url, { operation: 'ListUserPools', error: 'LimitExceededException', message: 'slow down', statusCode: 429 });
    const r = await idpRaw(url, 'ListUserPools', { MaxResults: 10 }, { connection: 'close' });
    assert.equal(r.status, 429);
    assert.deepEqual(r.json, { __type: 'LimitExceededException', message: 'slow down' });
  });

  test('"*" matches every operation; count -1 lasts until removed by id', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const f = await addFault(url, { operation: '*', error: 'NotAuthorizedException', count: -1 });
    assert.equal(f.count, -1);
    assert.equal(f.message, 'Incorrect username or password.');
    for (let i = 0; i < 3; i++) {
      await expectError(idp.send(new ListUserPoolsCommand({ MaxResults: 10 })), 'NotAuthorizedException',
        'Incorrect username or password.');
    }
    await expectError(idp.send(new CreateUserPoolCommand({ PoolName: 'p' })), 'NotAuthorizedException');
    assert.deepEqual(await listFaults(url), [f]);
    assert.deepEqual(await ok(url, 'DELETE', `/_emulator/faults/${f.id}`), { id: f.id, deleted: true });
    assert.deepEqual(await listFaults(url), []);
    await idp.send(new CreateUserPoolCommand({ PoolName: 'p' }));
    const missing = await control(url, 'DELETE', `/_emulator/faults/${f.id}`);
    assert.equal(missing.status, 404, missing.text);
  });

  test('count N fails N calls, and the list shows what is left; DELETE /_emulator/faults removes all', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const a = await addFault(url, { operation: 'ListUserPools', error: 'InternalErrorException', count: 3 });
    const b = await addFault(url, { operation: 'CreateUserPool', error: 'TooManyRequestsException', count: -1 });
    assert.notEqual(a.id, b.id);
    await expectError(idp.send(new ListUserPoolsCommand({ MaxResults: 10 })), 'InternalErrorException', undefined, 500);
    assert.deepEqual((await listFaults(url)).map((x) => [x.id, x.count]), [[a.id, 2], [b.id, -1]]);
    await expectError(idp.send(new ListUserPoolsCommand({ MaxResults: 10 })), 'InternalErrorException', undefined, 500);
    assert.deepEqual(await ok(url, 'DELETE', '/_emulator/faults'), { deleted: 2 });
    assert.deepEqual(await listFaults(url), []);
    await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    await idp.send(new CreateUserPoolCommand({ PoolName: 'p' }));
  });

  test('match: only calls whose input contains the given members fail', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { clientId } = await signUpPool(idp);
    const signUp = (Username) => idp.send(new SignUpCommand({ ClientId: clientId, Username, Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${Username}@example.com` }] }));
    await addFault(url, { operation: 'SignUp', error: 'UsernameExistsException', message: 'User already exists',
      match: { Username: 'blocked' }, count: -1 });
    await signUp('free1');
    await expectError(signUp('blocked'), 'UsernameExistsException', 'User already exists');
    await signUp('free2');
    await expectError(signUp('blocked'), 'UsernameExistsException', 'User already exists');
    // nested members match as a subset
    await ok(url, 'DELETE', '/_emulator/faults');
    await addFault(url, { operation: 'InitiateAuth', error: 'NotAuthorizedException', message: 'nested',
      match: { AuthParameters: { USERNAME: 'free1' } } });
    await expectError(passwordAuth(idp, clientId, 'free2', PASSWORD), 'UserNotConfirmedException');
    await expectError(passwordAuth(idp, clientId, 'free1', PASSWORD), 'NotAuthorizedException', 'nested');
  });

  test('faults apply after input validation: an invalid call does not use one up', async (t) => {
    const { url } = await emulatorFor(t);
    await addFault(url, { operation: 'ListUserPools', error: 'TooManyRequestsException' });
    const bad = await idpRaw(url, 'ListUserPools', {}, { connection: 'close' }); // MaxResults is required
    assert.equal(bad.status, 400);
    assert.notEqual(bad.json.__type, 'TooManyRequestsException', bad.text);
    assert.equal((await listFaults(url)).length, 1);
    const hit = await idpRaw(url, 'ListUserPools', { MaxResults: 1 }, { connection: 'close' });
    assert.equal(hit.json.__type, 'TooManyRequestsException');
  });

  test('delayMs slows matching calls down without failing them', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const f = await addFault(url, { operation: 'ListUserPools', delayMs: 400, count: 2 });
    assert.equal(f.delayMs, 400);
    assert.equal(f.error, undefined);
    let start = Date.now();
    await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.ok(Date.now() - start >= 390, `delayed call took ${Date.now() - start} ms`);
    start = Date.now();
    await idp.send(new CreateUserPoolCommand({ PoolName: 'fast' }));
    assert.ok(Date.now() - start < 390, 'other operations are not delayed');
    const [h] = await requests(url, '?operation=ListUserPools&limit=1');
    assert.ok(h.durationMs >= 390, `history durationMs ${h.durationMs}`);
    assert.equal(h.status, 200);

    // delay and error together
    await ok(url, 'DELETE', '/_emulator/faults');
    await addFault(url, { operation: 'ListUserPools', delayMs: 300, error: 'TooManyRequestsException' });
    start = Date.now();
    await expectError(idp.send(new ListUserPoolsCommand({ MaxResults: 10 })), 'TooManyRequestsException', 'Rate exceeded');
    assert.ok(Date.now() - start >= 290);
  });

  test('SDK retries: count 2 with 3 attempts succeeds on the third', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const retrying = retryingClient(url);
    t.after(() => retrying.destroy());
    await createPool(idp);
    await addFault(url, { operation: 'ListUserPools', error: 'TooManyRequestsException', count: 2 });
    const res = await retrying.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.equal(res.UserPools.length, 1);
    assert.equal(res.$metadata.attempts, 3);
    const hist = await requests(url, '?operation=ListUserPools');
    assert.deepEqual(hist.map((h) => [h.status, h.error]), [[200, undefined], [400, 'TooManyRequestsException'],
      [400, 'TooManyRequestsException']]);

    // three failures exhaust three attempts
    await addFault(url, { operation: 'ListUserPools', error: 'InternalErrorException', count: 3 });
    const e = await expectError(retrying.send(new ListUserPoolsCommand({ MaxResults: 10 })),
      'InternalErrorException', 'Internal server error.', 500);
    assert.equal(e.$metadata.attempts, 3);
    assert.deepEqual(await listFaults(url), []);
  });

  test('bad fault specs → 400', async (t) => {
    const { url } = await emulatorFor(t);
    for (const spec of [
      {}, { error: 'TooManyRequestsException' }, { operation: '' }, { operation: 'SignUp' },
      { operation: 'SignUp', error: 'X', count: 0 }, { operation: 'SignUp', error: 'X', count: -2 },
      { operation: 'SignUp', error: 'X', statusCode: 200 }, { operation: 'SignUp', delayMs: -1 },
      { operation: 'SignUp', error: 'X', match: 'Username' }, '[]', 'nope',
    ]) {
      const r = await control(url, 'POST', '/_emulator/faults', spec);
      assert.equal(r.status, 400, `${JSON.stringify(spec)} → ${r.status} ${r.text}`);
      assert.equal(typeof r.json?.error, 'string');
    }
    assert.deepEqual(await listFaults(url), []);
  });
});

describe('request history', { timeout: 60_000 }, () => {
  test('newest first, with redacted secrets, errors and filters', async (t) => {
    const { url, idp } = await emulatorFor(t, { args: FROZEN_2030 });
    const pool = await createPool(idp, { AutoVerifiedAttributes: ['email'] });
    const client = await createClient(idp, pool.Id, { GenerateSecret: true });
    const hash = secretHash(client.ClientSecret, 'hana', client.ClientId);
    const signUp = await idpRaw(url, 'SignUp', {
      ClientId: client.ClientId, SecretHash: hash, Username: 'hana', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'hana@example.com' }],
    }, { connection: 'close' });
    assert.equal(signUp.status, 200, signUp.text);
    const code = (await lastMessage(url, pool.Id, 'hana')).code;
    await idp.send(new ConfirmSignUpCommand({ ClientId: client.ClientId, SecretHash: hash, Username: 'hana',
      ConfirmationCode: code }));
    const auth = await passwordAuth(idp, client.ClientId, 'hana', PASSWORD, { SECRET_HASH: hash });
    await expectError(passwordAuth(idp, client.ClientId, 'hana', 'Wrong-pass1', { SECRET_HASH: hash }),
      'NotAuthorizedException', 'Incorrect username or password.');

    const all = await requests(url);
    assert.deepEqual(all.map((r) => r.operation), [
      'cognito-idp.InitiateAuth', 'cognito-idp.InitiateAuth', 'cognito-idp.ConfirmSignUp', 'cognito-idp.SignUp',
      'cognito-idp.CreateUserPoolClient', 'cognito-idp.CreateUserPool',
    ]);
    for (const r of all) {
      assert.equal(r.time, T2030);
      assert.equal(typeof r.requestId, 'string');
      assert.equal(typeof r.durationMs, 'number');
    }
    // nothing secret anywhere in the history
    const text = JSON.stringify(all);
    for (const secret of [PASSWORD, 'Wrong-pass1', client.ClientSecret, hash, code,
      auth.AuthenticationResult.AccessToken, auth.AuthenticationResult.IdToken, auth.AuthenticationResult.RefreshToken]) {
      assert.ok(!text.includes(secret), `history leaks ${secret.slice(0, 20)}…`);
    }

    const [failed, signedIn, confirmed, signedUp, createdClient] = all;
    assert.equal(failed.status, 400);
    assert.equal(failed.error, 'NotAuthorizedException');
    assert.deepEqual(failed.output, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    assert.deepEqual(failed.input, { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.ClientId,
      AuthParameters: { USERNAME: 'hana', PASSWORD: '***', SECRET_HASH: '***' } });

    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.error, undefined);
    const ar = signedIn.output.AuthenticationResult;
    assert.equal(ar.AccessToken, '***');
    assert.equal(ar.IdToken, '***');
    assert.equal(ar.RefreshToken, '***');
    assert.equal(ar.ExpiresIn, 3600);

    assert.deepEqual(confirmed.input, { ClientId: client.ClientId, SecretHash: '***', Username: 'hana',
      ConfirmationCode: '***' });

    assert.equal(signedUp.requestId, signUp.headers.get('x-amzn-requestid'));
    assert.deepEqual(signedUp.input, { ClientId: client.ClientId, SecretHash: '***', Username: 'hana',
      Password: '***', UserAttributes: [{ Name: 'email', Value: 'hana@example.com' }] });
    assert.equal(signedUp.output.UserSub, signUp.json.UserSub);
    assert.equal(signedUp.output.UserConfirmed, false);
    assert.deepEqual(signedUp.output.CodeDeliveryDetails, signUp.json.CodeDeliveryDetails);

    assert.equal(createdClient.output.UserPoolClient.ClientSecret, '***');
    assert.equal(createdClient.output.UserPoolClient.ClientId, client.ClientId);

    // filters: bare or qualified operation name, limit
    assert.deepEqual(await requests(url, '?operation=SignUp'), [signedUp]);
    assert.deepEqual(await requests(url, '?operation=cognito-idp.SignUp'), [signedUp]);
    assert.deepEqual(await requests(url, '?operation=InitiateAuth&limit=1'), [failed]);
    assert.deepEqual(await requests(url, '?limit=2'), [failed, signedIn]);
    assert.deepEqual(await requests(url, '?operation=AdminDeleteUser'), []);
    assert.equal((await control(url, 'GET', '/_emulator/requests?limit=lots')).status, 400);

    // control calls are not recorded; reset empties the history
    assert.equal((await requests(url)).length, 6);
    await ok(url, 'POST', '/_emulator/reset', {});
    assert.deepEqual(await requests(url), []);
  });

  test('calls failed by a fault are recorded with their error', async (t) => {
    const { url, idp } = await emulatorFor(t);
    await addFault(url, { operation: 'ListUserPools', error: 'TooManyRequestsException' });
    await expectError(idp.send(new ListUserPoolsCommand({ MaxResults: 5 })), 'TooManyRequestsException');
    const [h] = await requests(url);
    assert.equal(h.operation, 'cognito-idp.ListUserPools');
    assert.equal(h.status, 400);
    assert.equal(h.error, 'TooManyRequestsException');
    assert.deepEqual(h.input, { MaxResults: 5 });
    assert.deepEqual(h.output, { __type: 'TooManyRequestsException', message: 'Rate exceeded' });
  });
});

describe('control-plane security', { timeout: 60_000 }, () => {
  test('--control-token: control routes need the bearer token; the AWS API does not', async (t) => {
    const { url, idp } = await emulatorFor(t, { args: ['--control-token', 's3cret-T'] });
    const good = { authorization: 'Bearer s3cret-T' };
    for (const [method, p] of [['GET', '/_emulator/health'], ['GET', '/_emulator/clock'], ['POST', '/_emulator/reset'],
      ['POST', '/moto-api/reset'], ['GET', '/_emulator/faults'], ['GET', '/_emulator/requests'],
      ['GET', '/_emulator/snapshots'], ['GET', '/_emulator/export'], ['GET', '/_emulator/messages']]) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 's3cret-T' }]) {
        const r = await control(url, method, p, undefined, headers);
        assert.equal(r.status, 401, `${method} ${p} with ${JSON.stringify(headers)} → ${r.status} ${r.text}`);
        assert.equal(typeof r.json?.error, 'string');
      }
    }
    const pool = await createPool(idp); // the AWS API works without the token
    assert.equal((await control(url, 'GET', '/_emulator/health', undefined, good)).json.status, 'ok');
    assert.equal((await control(url, 'POST', '/_emulator/clock', { advance: 10 }, good)).status, 200);
    // unauthorized reset changed nothing; the authorized one does
    assert.deepEqual(await poolIds(idp), [pool.Id]);
    assert.equal((await control(url, 'POST', '/_emulator/reset', {}, good)).status, 200);
    assert.deepEqual(await poolIds(idp), []);
    // the pool's discovery documents are public
    const p2 = await createPool(idp);
    assert.equal((await httpRequest(url, { path: `/${p2.Id}/.well-known/jwks.json` })).status, 200);
  });

  test('--no-control: /_emulator/* answers 404; the AWS API works', async (t) => {
    const { url, idp } = await emulatorFor(t, { args: ['--no-control'] });
    for (const [method, p] of [['GET', '/_emulator/health'], ['GET', '/_emulator/clock'], ['POST', '/_emulator/clock'],
      ['POST', '/_emulator/reset'], ['POST', '/moto-api/reset'], ['POST', '/_emulator/faults'],
      ['GET', '/_emulator/requests'], ['POST', '/_emulator/snapshots/x'], ['POST', '/_emulator/fixtures'],
      ['GET', '/_emulator/export'], ['GET', '/_emulator/messages']]) {
      const r = await control(url, method, p, method === 'POST' ? { set: 0, operation: '*', error: 'X' } : undefined);
      assert.equal(r.status, 404, `${method} ${p} → ${r.status} ${r.text}`);
    }
    const pool = await createPool(idp);
    assert.deepEqual(await poolIds(idp), [pool.Id]);
  });
});

describe('fixtures', { timeout: 90_000 }, () => {
  async function assertBasicState(idp) {
    assert.deepEqual(await poolIds(idp), [EXAMPLE_POOL]);
    const { UserPool } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: EXAMPLE_POOL }));
    assert.equal(UserPool.Name, 'example');
    assert.deepEqual(UserPool.AutoVerifiedAttributes, ['email']);
    assert.ok(UserPool.SchemaAttributes.some((a) => a.Name === 'custom:tier'));
    const web = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: EXAMPLE_POOL, ClientId: WEB_CLIENT }))).UserPoolClient;
    assert.equal(web.ClientName, 'web');
    assert.equal(web.ClientSecret, undefined);
    assert.deepEqual([...web.ExplicitAuthFlows].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
    const backend = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: EXAMPLE_POOL, ClientId: BACKEND_CLIENT }))).UserPoolClient;
    assert.equal(backend.ClientName, 'backend');
    assert.equal(backend.ClientSecret, BACKEND_SECRET);

    const users = {};
    for (const u of ['alice', 'bob', 'carol']) {
      users[u] = await idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: u }));
      assert.equal(users[u].Enabled, true, `${u} is enabled`);
    }
    assert.equal(users.alice.UserStatus, 'CONFIRMED');
    assert.equal(users.bob.UserStatus, 'UNCONFIRMED');
    assert.equal(users.carol.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.deepEqual(attrMap(users.alice.UserAttributes), { sub: ALICE_SUB, email: 'alice@example.com',
      email_verified: 'true', 'custom:tier': 'gold' });
    assert.equal(attrMap(users.bob.UserAttributes).email, 'bob@example.com');
    assert.match(attrMap(users.bob.UserAttributes).sub, UUID_V4_RE);

    const { AuthenticationResult } = await passwordAuth(idp, WEB_CLIENT, 'alice', 'Passw0rd!');
    const id = decodeJwt(AuthenticationResult.IdToken).payload;
    assert.equal(id.sub, ALICE_SUB);
    assert.equal(id['custom:tier'], 'gold');
    assert.equal(id.aud, WEB_CLIENT);
    assert.equal(id.iss, `https://cognito-idp.us-east-1.amazonaws.com/${EXAMPLE_POOL}`);
    await expectError(passwordAuth(idp, WEB_CLIENT, 'bob', 'Passw0rd!'), 'UserNotConfirmedException', 'User is not confirmed.');
    const carol = await passwordAuth(idp, WEB_CLIENT, 'carol', 'TempPassw0rd!');
    assert.equal(carol.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const backendAuth = await passwordAuth(idp, BACKEND_CLIENT, 'alice', 'Passw0rd!',
      { SECRET_HASH: secretHash(BACKEND_SECRET, 'alice', BACKEND_CLIENT) });
    assert.equal(decodeJwt(backendAuth.AuthenticationResult.AccessToken).payload.client_id, BACKEND_CLIENT);
  }

  test('--fixtures fixtures/basic.json at start-up', async (t) => {
    const { idp } = await emulatorFor(t, { args: ['--fixtures', FIXTURE_FILE] });
    await assertBasicState(idp);
  });

  test('POST /_emulator/fixtures applies a document and answers what it created', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const r = await control(url, 'POST', '/_emulator/fixtures', BASIC);
    assert.equal(r.status, 200, r.text);
    const users = r.json.created?.UserPools?.[0]?.Users;
    assert.ok(Array.isArray(users), r.text);
    assert.match(users[1]?.Sub ?? '', UUID_V4_RE);
    assert.match(users[2]?.Sub ?? '', UUID_V4_RE);
    assert.deepEqual(r.json, { created: {
      UserPools: [{
        Id: EXAMPLE_POOL, PoolName: 'example',
        Clients: [{ ClientId: WEB_CLIENT, ClientName: 'web' },
          { ClientId: BACKEND_CLIENT, ClientName: 'backend', ClientSecret: BACKEND_SECRET }],
        Users: [{ Username: 'alice', Sub: ALICE_SUB }, { Username: 'bob', Sub: users[1].Sub },
          { Username: 'carol', Sub: users[2].Sub }],
      }],
      IdentityPools: [],
    } });
    await assertBasicState(idp);
    // applying it again fails (the pool exists) and changes nothing
    const again = await control(url, 'POST', '/_emulator/fixtures', BASIC);
    assert.equal(again.status, 400, again.text);
    assert.match(again.json.error, /^UserPools\[0\]\.Id: /);
    assert.equal(typeof again.json.type, 'string');
    await assertBasicState(idp);
  });

  test('an invalid document → 400 naming the entry at fault, and nothing is applied', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const doc = {
      UserPools: [
        { Id: 'us-east-1_Good1', PoolName: 'good', Clients: [{ ClientName: 'c' }] },
        { PoolName: 'bad', Clients: [{ ClientName: 'c2', ClientId: 'fixedclient000000000000001' }],
          Users: [
            { Username: 'u1', Password: 'Passw0rd!' },
            { Username: 'u2', TemporaryPassword: 'TempPassw0rd!' },
            { Username: 'u3', Password: 'short' },
          ] },
      ],
    };
    const r = await control(url, 'POST', '/_emulator/fixtures', doc);
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.json, {
      error: 'UserPools[1].Users[2].Password: Password did not conform with password policy: Password not long enough',
      type: 'InvalidPasswordException',
    });
    assert.deepEqual(await poolIds(idp), []);
    const e = await expectError(idp.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_Good1' })), 'ResourceNotFoundException');
    assert.ok(e);

    const typo = { UserPools: [{ PoolName: 'p', Users: [{ Username: 'a' }, { Username: 'b', Pasword: 'Passw0rd!' }] }] };
    const r2 = await control(url, 'POST', '/_emulator/fixtures', typo);
    assert.equal(r2.status, 400, r2.text);
    assert.equal(r2.json.error, 'UserPools[0].Users[1].Pasword: unknown member');
    assert.equal(typeof r2.json.type, 'string');
    assert.deepEqual(await poolIds(idp), []);

    const notObject = await control(url, 'POST', '/_emulator/fixtures', '[1]');
    assert.equal(notObject.status, 400);
    // and the emulator still applies a good document afterwards
    assert.equal((await control(url, 'POST', '/_emulator/fixtures', BASIC)).status, 200);
    await assertBasicState(idp);
  });

  test('GET /_emulator/export re-applies to the same state', async (t) => {
    const a = await emulatorFor(t, { args: ['--fixtures', FIXTURE_FILE] });
    // more state through the API
    const pool = await createPool(a.idp, { Policies: { PasswordPolicy: { MinimumLength: 12 } }, MfaConfiguration: 'OFF' });
    const client = await createClient(a.idp, pool.Id, { GenerateSecret: true });
    await createConfirmedUser(a.idp, pool.Id, 'exported', 'Long-enough-pass1', [{ Name: 'email', Value: 'e@example.com' }]);
    await createConfirmedUser(a.idp, EXAMPLE_POOL, 'dan', 'Passw0rd!', [{ Name: 'custom:tier', Value: 'platinum' }]);
    await a.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: EXAMPLE_POOL, Username: 'alice',
      Password: 'Changed-pass1', Permanent: true }));
    await a.idp.send(new AdminDisableUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'carol' }));
    const exported = await ok(a.url, 'GET', '/_emulator/export');
    assert.deepEqual(exported.UserPools.map((p) => p.Id).sort(), [EXAMPLE_POOL, pool.Id].sort());
    const text = JSON.stringify(exported);
    assert.ok(!text.includes('Passw0rd!') && !text.includes('Long-enough-pass1'), 'no plaintext passwords in an export');

    const b = await emulatorFor(t);
    const applied = await control(b.url, 'POST', '/_emulator/fixtures', exported);
    assert.equal(applied.status, 200, applied.text);
    assert.deepEqual(await ok(b.url, 'GET', '/_emulator/export'), exported);
    // same IDs, secrets and passwords
    const { UserPoolClient } = await b.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.ClientId }));
    assert.equal(UserPoolClient.ClientSecret, client.ClientSecret);
    const res = await passwordAuth(b.idp, client.ClientId, 'exported', 'Long-enough-pass1',
      { SECRET_HASH: secretHash(client.ClientSecret, 'exported', client.ClientId) });
    assert.ok(res.AuthenticationResult.AccessToken);
    assert.ok(!text.includes('Changed-pass1'));
    const alice = await passwordAuth(b.idp, WEB_CLIENT, 'alice', 'Changed-pass1');
    const claims = decodeJwt(alice.AuthenticationResult.IdToken).payload;
    assert.equal(claims.sub, ALICE_SUB);
    assert.equal(claims['custom:tier'], 'gold');
    await expectError(passwordAuth(b.idp, WEB_CLIENT, 'alice', 'Passw0rd!'), 'NotAuthorizedException',
      'Incorrect username or password.');
    const dan = await passwordAuth(b.idp, WEB_CLIENT, 'dan', 'Passw0rd!');
    assert.equal(decodeJwt(dan.AuthenticationResult.IdToken).payload['custom:tier'], 'platinum');
    const carol = await b.idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'carol' }));
    assert.equal(carol.Enabled, false);
    assert.equal(carol.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const bob = await b.idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'bob' }));
    assert.equal(bob.UserStatus, 'UNCONFIRMED');
  });

  test('repeatable --fixtures; restarting a persistent store with the same fixtures neither duplicates nor fails', async (t) => {
    const dir = tempDir();
    t.after(() => removeDir(dir));
    const second = path.join(dir, 'second.json');
    writeFileSync(second, JSON.stringify({ UserPools: [{ Id: 'us-east-1_Second2', PoolName: 'second',
      Users: [{ Username: 'zed', Password: 'Passw0rd!' }] }] }));
    const data = path.join(dir, 'data');
    const args = ['--fixtures', FIXTURE_FILE, '--fixtures', second];

    const first = await emulatorFor(t, { dataDir: data, args });
    assert.deepEqual(await poolIds(first.idp), [EXAMPLE_POOL, 'us-east-1_Second2']);
    await first.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: EXAMPLE_POOL, Username: 'alice',
      Password: 'Changed-pass1', Permanent: true }));
    await first.idp.send(new AdminDeleteUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'bob' }));
    first.idp.destroy();
    assert.equal((await first.emu.stop()).code, 0);

    const again = await emulatorFor(t, { dataDir: data, args });
    assert.deepEqual(await poolIds(again.idp), [EXAMPLE_POOL, 'us-east-1_Second2']);
    // the fixture was not applied again: alice keeps her new password, bob stays deleted
    assert.ok((await passwordAuth(again.idp, WEB_CLIENT, 'alice', 'Changed-pass1')).AuthenticationResult);
    await expectError(again.idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'bob' })),
      'UserNotFoundException', 'User does not exist.');
    const carol = await again.idp.send(new AdminGetUserCommand({ UserPoolId: EXAMPLE_POOL, Username: 'carol' }));
    assert.equal(carol.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const zed = await again.idp.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_Second2', Username: 'zed' }));
    assert.equal(zed.UserStatus, 'CONFIRMED');
    assert.match(again.emu.stderrText(), /already applied/);
    // reset to fixtures returns to the state after the start-up fixtures of this run
    await ok(again.url, 'POST', '/_emulator/reset', { fixtures: true });
    assert.deepEqual(await poolIds(again.idp), [EXAMPLE_POOL, 'us-east-1_Second2']);
    assert.ok((await passwordAuth(again.idp, WEB_CLIENT, 'alice', 'Changed-pass1')).AuthenticationResult);
  });

  test('a start-up fixture that does not apply stops the emulator with the error', async (t) => {
    const dir = tempDir();
    t.after(() => removeDir(dir));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ UserPools: [{ PoolName: 'p', Users: [{ Username: 'u', Password: 'short' }] }] }));
    const err = await emulatorFor(t, { args: ['--fixtures', bad] }).then(() => null, (e) => e);
    assert.ok(err, 'the emulator must not start');
    assert.match(err.message, /UserPools\[0\]\.Users\[0\]\.Password: Password did not conform with password policy/);
  });
});
