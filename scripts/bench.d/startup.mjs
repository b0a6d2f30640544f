// Start-up time: spawn → first 200 from GET /_emulator/health, over raw TCP in a tight loop.
//   node startup.mjs BIN RUNS
// Prints one JSON line: {"runs":[ms...],"median":ms,"min":ms,"max":ms}. Exits 1 if a start fails.
import { spawn } from 'node:child_process';
import net from 'node:net';

const [bin, runsArg = '15'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const START_TIMEOUT_MS = 10_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// One attempt: connect, send a health request, resolve true on a 200 status line.
function probe(port) {
  return new Promise((resolve) => {
    const sock = net.createConnection({ host: '127.0.0.1', port });
    let buf = '';
    sock.setNoDelay(true);
    sock.on('connect', () => {
      sock.write(`GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    sock.on('data', (d) => {
      buf += d;
      if (buf.includes('\r\n')) {
        sock.destroy();
        resolve(/^HTTP\/1\.[01] 200 /.test(buf));
      }
    });
    sock.on('error', () => resolve(false));
    sock.on('close', () => resolve(/^HTTP\/1\.[01] 200 /.test(buf)));
  });
}

async function once() {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const proc = spawn(bin, ['--ephemeral', '--port', String(port)], { stdio: ['ignore', 'ignore', 'ignore'] });
  let exited = false;
  const exit = new Promise((r) => proc.once('exit', (code, signal) => { exited = true; r({ code, signal }); }));
  proc.once('error', () => { exited = true; });
  let ms = null;
  while (!exited) {
    if (await probe(port)) {
      ms = Number(process.hrtime.bigint() - t0) / 1e6;
      break;
    }
    if (Number(process.hrtime.bigint() - t0) / 1e6 > START_TIMEOUT_MS) break;
  }
  if (!exited) proc.kill('SIGTERM');
  const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exit;
  clearTimeout(killer);
  if (ms === null) throw new Error(`emulator did not answer /_emulator/health within ${START_TIMEOUT_MS} ms (port ${port})`);
  return ms;
}

const runs = [];
try {
  for (let i = 0; i < RUNS; i++) runs.push(await once());
} catch (e) {
  console.error(`startup: ${e.message}`);
  process.exit(1);
}
const sorted = [...runs].sort((a, b) => a - b);
const mid = sorted.length >> 1;
const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
const r1 = (x) => Math.round(x * 10) / 10;
console.log(JSON.stringify({ runs: runs.map(r1), median: r1(median), min: r1(sorted[0]), max: r1(sorted[sorted.length - 1]) }));
