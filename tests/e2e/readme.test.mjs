// The README's examples stay true: every fenced block announced by
// `<!-- readme-example: NAME.mjs -->` runs against a fresh emulator and must succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, startEmulator } from './harness.mjs';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/<!-- readme-example: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map(
  (m) => ({ name: m[1], code: m[2] }),
);

test('the README has runnable examples', () => {
  assert.ok(examples.length >= 1);
});

for (const { name, code } of examples) {
  test(`README example ${name} runs`, async () => {
    const emu = await startEmulator();
    // Run inside tests/e2e so the example resolves the pinned npm packages.
    const dir = mkdtempSync(path.join(REPO_ROOT, 'tests', 'e2e', '.readme-'));
    try {
      const file = path.join(dir, name);
      writeFileSync(file, code);
      const run = spawnSync(process.execPath, [file], {
        env: { ...process.env, COGNITO_ENDPOINT: emu.url, AWS_EC2_METADATA_DISABLED: 'true' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 0, `example failed:\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /verified token for alice/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await emu.stop();
    }
  });
}
