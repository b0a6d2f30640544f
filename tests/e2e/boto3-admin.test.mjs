// The admin MFA and device forms through boto3: runs tests/e2e/admin_forms.py against a fresh
// emulator and reports each of its checks as a subtest. Skipped when python3 or boto3 is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './harness.mjs';
import { whyNoBoto3, runProgram } from './support/programs.mjs';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'admin_forms.py');

test('boto3: admin MFA preference, settings, TOTP sign-in and device forms (admin_forms.py)', { timeout: 120_000 }, async (t) => {
  if (whyNoBoto3()) {
    t.skip(whyNoBoto3());
    return;
  }
  const emu = await startEmulator();
  t.after(() => emu.stop());
  const result = await runProgram('python3', [SCRIPT], {
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
