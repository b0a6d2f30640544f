// The README's examples stay true: every fenced block announced by
// `<!-- readme-example: NAME.mjs -->` (run with node) or `<!-- readme-example: NAME.py -->`
// (run with python3, skipped when boto3 is not importable) runs against a fresh emulator, must
// exit 0 and must print its example's expected line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startEmulator } from './harness.mjs';
import { whyNoBoto3, runProgram } from './support/programs.mjs';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/<!-- readme-example: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map(
  (m) => ({ name: m[1], code: m[2] }),
);

// What each example prints when it worked (examples not listed here only need exit 0).
const EXPECTED = {
  'quickstart.mjs': /verified token for alice/,
  'testing.mjs': /^testing example: OK$/m,
  'testing.py': /^testing example: OK$/m,
  'identity.mjs': /^credentials ASIA for us-east-1\nrole signed-in$/m,
};
const FIXTURE_FILE = path.join(REPO_ROOT, 'fixtures', 'basic.json');

test('the README has runnable examples', () => {
  assert.ok(examples.length >= 1);
  for (const name of ['quickstart.mjs', 'testing.mjs', 'testing.py', 'identity.mjs']) {
    assert.ok(examples.some((e) => e.name === name), `README example ${name} is present`);
  }
});

for (const { name, code } of examples) {
  const python = name.endsWith('.py');
  test(`README example ${name} runs`, async (t) => {
    if (python && whyNoBoto3()) {
      t.skip(`${name}: ${whyNoBoto3()}`);
      return;
    }
    assert.ok(python || name.endsWith('.mjs') || name.endsWith('.js'), `unknown example kind: ${name}`);
    const emu = await startEmulator();
    // Written inside tests/e2e so a JavaScript example resolves the pinned npm packages.
    const dir = mkdtempSync(path.join(REPO_ROOT, 'tests', 'e2e', '.readme-'));
    try {
      const file = path.join(dir, name);
      writeFileSync(file, code);
      const result = await runProgram(python ? 'python3' : process.execPath, [file], {
        cwd: REPO_ROOT,
        env: {
          ...process.env, COGNITO_ENDPOINT: emu.url, FIXTURE_FILE, AWS_EC2_METADATA_DISABLED: 'true',
          PYTHONDONTWRITEBYTECODE: '1',
        },
      });
      assert.equal(result.status, 0, `example ${name} failed (signal ${result.signal}):\n${result.stdout}\n${result.stderr}`);
      if (EXPECTED[name]) assert.match(result.stdout, EXPECTED[name], `output of ${name}:\n${result.stdout}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await emu.stop();
    }
  });
}
