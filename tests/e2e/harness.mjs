// Shared helpers for the end-to-end suites: start the emulator binary on a free port,
// build SDK v3 clients pointed at it, and make raw wire-level calls.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';

// Never let an SDK wander off to the instance metadata service or read real credentials.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.COGEMU_BIN || path.join(REPO_ROOT, 'build', 'cognito-emulator');
export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';
export const IDP_TARGET = 'AWSCognitoIdentityProviderService';
export const IDENTITY_TARGET = 'AWSCognitoIdentityService';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

// Emulators still running when this test process exits are killed (e.g. after a timed-out test).
const live = new Set();
process.on('exit', () => {
  for (const p of live) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
});

const LISTEN_RE = /^cognito-emulator listening on (http:\/\/([^\s:]+):(\d+))\s*$/;
const STDERR_KEEP = 256 * 1024;

/**
 * Spawn the emulator with `--port 0` and wait for its listening line.
 * @param {{args?: string[], dataDir?: string, env?: Record<string,string>, timeoutMs?: number}} [opts]
 *   dataDir: use `--data-dir <dir>`; otherwise `--ephemeral`.
 * @returns {Promise<{url:string, port:number, host:string, proc:import('node:child_process').ChildProcess,
 *   stop:()=>Promise<{code:number|null, signal:string|null}>, stderrText:()=>string, stdoutText:()=>string,
 *   exited:Promise<{code:number|null, signal:string|null}>}>}
 */
export function startEmulator({ args = [], dataDir, env, timeoutMs = 10_000 } = {}) {
  const argv = ['--port', '0', ...(dataDir ? ['--data-dir', dataDir] : ['--ephemeral']), ...args];
  // Hermetic: settings inherited as COGNITO_EMULATOR_* from the caller's shell are dropped.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COGNITO_EMULATOR_')));
  const proc = spawn(BIN, argv, {
    env: { ...inherited, ...(env || {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stderr.setEncoding('utf8');
  proc.stdout.setEncoding('utf8');
  // Always drain both pipes: the emulator logs one line per request to stderr.
  proc.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > STDERR_KEEP) stderr = stderr.slice(-STDERR_KEEP);
  });
  live.add(proc);
  const exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => { live.delete(proc); resolve({ code, signal }); });
  });
  const stderrText = () => stderr;
  const stdoutText = () => stdout;

  return new Promise((resolve, reject) => {
    let settled = false;
    let lineBuf = '';
    const fail = (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try { proc.kill('SIGKILL'); } catch { /* already gone */ }
      reject(new Error(`${why}\n  binary: ${BIN} ${argv.join(' ')}\n  stdout: ${stdout.trim()}\n  stderr: ${stderr.trim().slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`emulator did not print its listening line within ${timeoutMs} ms`), timeoutMs);
    proc.once('error', (e) => fail(`could not spawn emulator: ${e.message}`));
    proc.once('exit', (code, signal) => fail(`emulator exited before listening (code ${code}, signal ${signal})`));
    proc.stdout.on('data', (d) => {
      stdout += d;
      if (settled) return;
      lineBuf += d;
      let nl;
      while ((nl = lineBuf.indexOf('\n')) >= 0) {
        const line = lineBuf.slice(0, nl).replace(/\r$/, '');
        lineBuf = lineBuf.slice(nl + 1);
        const m = LISTEN_RE.exec(line);
        if (m) {
          settled = true;
          clearTimeout(timer);
          const url = m[1];
          const port = Number(m[3]);
          let stopping = null;
          const stop = () => {
            if (stopping) return stopping;
            if (proc.exitCode !== null || proc.signalCode !== null) return (stopping = exited);
            proc.kill('SIGTERM');
            const killer = setTimeout(() => { try { proc.kill('SIGKILL'); } catch { /* gone */ } }, 5000);
            stopping = exited.then((r) => { clearTimeout(killer); return r; });
            return stopping;
          };
          resolve({ url, port, host: m[2], proc, stop, stderrText, stdoutText, exited });
          return;
        }
      }
    });
  });
}

/** A fresh temporary directory (caller removes it with removeDir). */
export function tempDir(prefix = 'cogemu-e2e-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

const clientConfig = (url) => ({
  region: REGION,
  endpoint: url,
  credentials: { ...CREDENTIALS },
  maxAttempts: 1,
});

export function idpClient(url) {
  return new CognitoIdentityProviderClient(clientConfig(url));
}

export function identityClient(url) {
  return new CognitoIdentityClient(clientConfig(url));
}

// A syntactically valid SigV4 header (the emulator reads the region from its scope; the
// signature itself is not checked). Pass `authorization: null` in headers to omit it.
function fakeAuthorization(region = REGION, service = 'cognito-idp') {
  const d = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return {
    'x-amz-date': d,
    authorization: `AWS4-HMAC-SHA256 Credential=test/${d.slice(0, 8)}/${region}/${service}/aws4_request, ` +
      'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' + '0'.repeat(64),
  };
}

/**
 * POST a raw AWS JSON 1.1 request.
 * @param {string} url      base URL of the emulator
 * @param {string|null} target full X-Amz-Target value (e.g. 'AWSCognitoIdentityProviderService.ListUserPools'),
 *                          or null to send none
 * @param {string|Buffer} bodyText
 * @param {Record<string,string|null>} [headers] extra headers; a null value removes a default header
 * @returns {Promise<{status:number, headers:Headers, text:string, json:any}>}
 */
export async function rawCall(url, target, bodyText = '{}', headers = {}) {
  const h = {
    'content-type': 'application/x-amz-json-1.1',
    ...fakeAuthorization(),
  };
  if (target !== null && target !== undefined) h['x-amz-target'] = target;
  for (const [k, v] of Object.entries(headers || {})) {
    const key = k.toLowerCase();
    if (v === null || v === undefined) delete h[key];
    else h[key] = v;
  }
  const res = await fetch(url.replace(/\/$/, '') + '/', { method: 'POST', headers: h, body: bodyText });
  return toResult(res);
}

/** Any HTTP request (method/path/headers/body) against the emulator, same result shape as rawCall. */
export async function httpRequest(url, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
  const res = await fetch(url.replace(/\/$/, '') + p, { method, headers, body });
  return toResult(res);
}

async function toResult(res) {
  const text = await res.text();
  let json;
  try { json = text.length ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

/** Convenience: raw Cognito IdP call by operation name with a JS object body. */
export function idpRaw(url, op, body = {}, headers = {}) {
  return rawCall(url, `${IDP_TARGET}.${op}`, typeof body === 'string' ? body : JSON.stringify(body), headers);
}

/** GET /_emulator/health → parsed JSON (throws on non-200). */
export async function health(url) {
  const r = await httpRequest(url, { path: '/_emulator/health' });
  if (r.status !== 200) throw new Error(`health returned ${r.status}: ${r.text}`);
  return r.json;
}

/** Run fn and return the error it throws (fails if it does not throw). */
export async function catchError(fn) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
