// Running other programs from a suite: whether python3 with boto3 is there (a reason to skip
// when not), and a child process run without blocking the event loop, so the emulator's stderr
// pipe keeps draining while the program runs.
import { spawn, spawnSync } from 'node:child_process';

let boto3Missing;
/** '' when `python3 -c "import boto3"` works, else why not (once per process). */
export function whyNoBoto3() {
  if (boto3Missing === undefined) {
    const r = spawnSync('python3', ['-c', 'import boto3, botocore'], { encoding: 'utf8', timeout: 30_000 });
    boto3Missing = r.status === 0 ? '' : `python3 with boto3 is not available (${(r.error?.message || r.stderr || '').trim().split('\n').pop()})`;
  }
  return boto3Missing;
}

/** Run `cmd args` to its end (SIGKILL after `timeoutMs`). Resolves {status, signal, stdout, stderr}. */
export function runProgram(cmd, args, opts = {}, timeoutMs = 90_000) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => { stderr += e.message; });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
