// The admin MFA and device forms through boto3: runs tests/e2e/admin_forms.py against a fresh
// emulator and reports each of its checks as a subtest. Skipped when python3 or boto3 is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './harness.mjs';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'admin_forms.py');

let why;
function whyNoBoto3() {
  if (why === undefined) {
    const r = spawnSync('python3', ['-c', 'import boto3, botocore; print(boto3.__version__, botocore.__version__)'], {
      encoding: 'utf8', timeout: 30_000,
    });
    why = r.status === 0 ? '' : `python3 with boto3 is not available (${(r.error?.message || r.stderr || '').trim().split('\n').pop()})`;
  }
  return why;
}

/** Run a program without blocking the event loop (the emulator's stderr pipe keeps draining). */
function run(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', (e) => { stderr += e.message; });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

test('boto3: admin MFA preference, settings, TOTP sign-in and device forms (admin_forms.py)', { timeout: 120_000 }, async (t) => {
  if (whyNoBoto3()) {
    t.skip(whyNoBoto3());
    return;
  }
  const emu = await startEmulator();
  t.after(() => emu.stop());
  const result = await run('python3', [SCRIPT], {
    env: {
      ...process.env, COGNITO_ENDPOINT: emu.url, AWS_EC2_METADATA_DISABLED: 'true', PYTHONDONTWRITEBYTECODE: '1',
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const checks = [...result.stdout.matchAll(/^(ok|FAIL|skip) - (.+?)(?: -- (.*(?:\n {4}.*)*))?$/gm)];
  for (const [, kind, name, detail] of checks) {
    await t.test(name, (st) => {
      if (kind === 'skip') st.skip(detail);
      else assert.equal(kind, 'ok', `${name}: ${detail}`);
    });
  }
  assert.match(result.stdout, /^admin_forms: \d+ passed, 0 failed, \d+ skipped$/m, `admin_forms.py output:\n${output}`);
  assert.equal(result.status, 0, `admin_forms.py exited ${result.status} (signal ${result.signal}):\n${output}`);
  assert.ok(checks.filter((c) => c[1] === 'ok').length >= 30, `at least 30 checks ran:\n${output}`);
});
