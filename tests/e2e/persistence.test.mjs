// Persistence (--data-dir), isolation (--ephemeral) and determinism (--seed).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import {
  CreateUserPoolCommand, DescribeUserPoolCommand, ListUserPoolsCommand, AddCustomAttributesCommand,
  CreateUserPoolClientCommand, DescribeUserPoolClientCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startEmulator, idpClient, tempDir, removeDir, catchError } from './harness.mjs';

/** Start an emulator, run fn(idp, emu), always stop it; returns fn's result and the exit status. */
async function withEmulator(opts, fn) {
  const emu = await startEmulator(opts);
  const idp = idpClient(emu.url);
  let result;
  try {
    result = await fn(idp, emu);
  } finally {
    idp.destroy();
  }
  const exit = await emu.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, `clean exit on SIGTERM; stderr:\n${emu.stderrText().slice(-2000)}`);
  return result;
}

const strip = (o) => { const { $metadata, ...rest } = o; return rest; };

describe('persistence', { timeout: 60_000 }, () => {
  test('--data-dir keeps pools and clients across restarts', async () => {
    const dir = tempDir();
    try {
      const first = await withEmulator({ dataDir: dir }, async (idp) => {
        const { UserPool: p } = await idp.send(new CreateUserPoolCommand({
          PoolName: 'durable', UserPoolTags: { keep: 'me' },
        }));
        await idp.send(new AddCustomAttributesCommand({
          UserPoolId: p.Id, CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }],
        }));
        const { UserPoolClient: c } = await idp.send(new CreateUserPoolClientCommand({
          UserPoolId: p.Id, ClientName: 'durable-client', GenerateSecret: true,
        }));
        return {
          pool: strip(await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }))).UserPool,
          client: strip(await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id, ClientId: c.ClientId }))).UserPoolClient,
        };
      });
      assert.ok(readdirSync(dir).length > 0, 'the data dir holds files after the first run');
      assert.ok(first.pool.SchemaAttributes.some((a) => a.Name === 'custom:plan'));

      const second = await withEmulator({ dataDir: dir }, async (idp) => ({
        pool: strip(await idp.send(new DescribeUserPoolCommand({ UserPoolId: first.pool.Id }))).UserPool,
        client: strip(await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: first.pool.Id, ClientId: first.client.ClientId }))).UserPoolClient,
        list: (await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools.map((x) => x.Id),
        tags: (await idp.send(new ListTagsForResourceCommand({ ResourceArn: first.pool.Arn }))).Tags,
      }));
      assert.deepEqual(second.pool, first.pool, 'pool is identical after restart');
      assert.deepEqual(second.client, first.client, 'client (incl. secret) is identical after restart');
      assert.match(second.client.ClientSecret, /^[a-z0-9]{51}$/);
      assert.deepEqual(second.list, [first.pool.Id]);
      assert.deepEqual(second.tags, { keep: 'me' });
    } finally {
      removeDir(dir);
    }
  });

  test('--ephemeral: a second start does not see the first run\'s pool', async () => {
    const id = await withEmulator({}, async (idp) => {
      const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'fleeting' }));
      assert.equal((await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools.length, 1);
      return p.Id;
    });
    await withEmulator({}, async (idp) => {
      const list = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.deepEqual(list.UserPools, []);
      const err = await catchError(() => idp.send(new DescribeUserPoolCommand({ UserPoolId: id })));
      assert.equal(err.name, 'ResourceNotFoundException');
      assert.equal(err.message, `User pool ${id} does not exist.`);
    });
  });

  const seededRun = (opts) => withEmulator(opts, async (idp) => {
    const { UserPool: p } = await idp.send(new CreateUserPoolCommand({ PoolName: 'seeded' }));
    const { UserPoolClient: c1 } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.Id, ClientName: 'one', GenerateSecret: true }));
    const { UserPoolClient: c2 } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.Id, ClientName: 'two' }));
    const { UserPool: p2 } = await idp.send(new CreateUserPoolCommand({ PoolName: 'seeded-2' }));
    return { poolId: p.Id, clientId: c1.ClientId, secret: c1.ClientSecret, client2: c2.ClientId, pool2: p2.Id };
  });

  test('--seed 42 twice gives identical ids and secrets', async () => {
    const a = await seededRun({ args: ['--seed', '42'] });
    const b = await seededRun({ args: ['--seed', '42'] });
    assert.match(a.poolId, /^us-east-1_[0-9A-Za-z]{9}$/);
    assert.match(a.clientId, /^[a-z0-9]{26}$/);
    assert.match(a.secret, /^[a-z0-9]{51}$/);
    assert.deepEqual(b, a);
    assert.notEqual(a.pool2, a.poolId);
    assert.notEqual(a.client2, a.clientId);

    // COGNITO_EMULATOR_SEED is the same flag
    const viaEnv = await seededRun({ env: { COGNITO_EMULATOR_SEED: '42' } });
    assert.deepEqual(viaEnv, a, 'COGNITO_EMULATOR_SEED=42 behaves as --seed 42');

    // another seed gives other ids
    const c = await seededRun({ args: ['--seed', '43'] });
    assert.notEqual(c.poolId, a.poolId);
    assert.notEqual(c.clientId, a.clientId);
  });

  test('SIGINT also exits cleanly, even right after the listening line', async () => {
    for (const delayMs of [0, 200]) {
      const emu = await startEmulator();
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      emu.proc.kill('SIGINT');
      let timer;
      const exit = await Promise.race([
        emu.exited,
        new Promise((r) => { timer = setTimeout(() => r('timeout'), 5000); }),
      ]);
      clearTimeout(timer);
      if (exit === 'timeout') {
        emu.proc.kill('SIGKILL');
        await emu.exited;
      }
      assert.deepEqual(exit, { code: 0, signal: null }, `SIGINT ${delayMs} ms after start`);
    }
  });
});
