// Wire-level behaviour of the AWS JSON 1.1 endpoint: headers, error shapes, protocol errors,
// CORS, content types and concurrency.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  CreateUserPoolCommand, DescribeUserPoolCommand, GetCSVHeaderCommand,
  DescribeRiskConfigurationCommand, ListUserPoolsCommand, ResourceNotFoundException,
  InvalidParameterException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  startEmulator, idpClient, rawCall, idpRaw, httpRequest, health, catchError, IDP_TARGET,
} from './harness.mjs';

const EXPOSE = ['x-amzn-requestid', 'x-amzn-errortype', 'x-amzn-errormessage', 'date'];
const POOL_ID_RE = /^us-east-1_[0-9A-Za-z]{9}$/;

function tokens(v) {
  return (v || '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

function assertCorsOnResponse(r, origin) {
  const acao = r.headers.get('access-control-allow-origin');
  if (origin) assert.ok(acao === origin || acao === '*', `Access-Control-Allow-Origin was ${acao}`);
  else assert.equal(acao, '*');
  assert.deepEqual(new Set(tokens(r.headers.get('access-control-expose-headers'))), new Set(EXPOSE),
    `Access-Control-Expose-Headers was ${r.headers.get('access-control-expose-headers')}`);
}

/** Assert an error response: status, body {__type,message}, and headers that agree with it. */
function assertWireError(r, status, type, message) {
  assert.equal(r.status, status, `status (body: ${r.text})`);
  assert.ok(r.json && typeof r.json === 'object', `error body must be JSON: ${r.text}`);
  assert.equal(r.json.__type, type);
  assert.equal(typeof r.json.message, 'string');
  if (message instanceof RegExp) assert.match(r.json.message, message);
  else if (message !== undefined) assert.equal(r.json.message, message);
  const et = r.headers.get('x-amzn-errortype');
  assert.ok(et, 'x-amzn-ErrorType header missing');
  assert.equal(et.split(':')[0], type, `x-amzn-ErrorType was ${et}`);
  assert.ok(et.startsWith(`${type}:`), `x-amzn-ErrorType should be "${type}:..." but was ${et}`);
  assert.equal(r.headers.get('x-amzn-errormessage'), r.json.message);
  assert.ok(r.headers.get('x-amzn-requestid'), 'x-amzn-RequestId header missing on error');
  assert.match(r.headers.get('content-type') || '', /^application\/x-amz-json-1\.1/);
}

describe('wire protocol', { timeout: 120_000 }, () => {
  let emu;
  let idp;
  before(async () => {
    emu = await startEmulator();
    idp = idpClient(emu.url);
  });
  after(async () => {
    idp?.destroy();
    if (emu) {
      const r = await emu.stop();
      assert.deepEqual(r, { code: 0, signal: null }, `emulator should exit 0 on SIGTERM; stderr:\n${emu.stderrText().slice(-2000)}`);
    }
  });

  const assertUp = async () => assert.deepEqual((await health(emu.url)).status, 'ok');

  test('success: 200, JSON 1.1 content type, request id, JSON body', async () => {
    const r = await idpRaw(emu.url, 'ListUserPools', { MaxResults: 10 });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') || '', /^application\/x-amz-json-1\.1/);
    const rid = r.headers.get('x-amzn-requestid');
    assert.ok(rid && rid.length >= 8, `x-amzn-RequestId was ${rid}`);
    assert.equal(r.headers.get('x-amzn-errortype'), null);
    assert.deepEqual(r.json, { UserPools: [] });
    assertCorsOnResponse(r);

    const c = await idpRaw(emu.url, 'CreateUserPool', { PoolName: 'wire-pool' });
    assert.equal(c.status, 200, c.text);
    assert.match(c.json.UserPool.Id, POOL_ID_RE);
    assert.equal(c.json.UserPool.Name, 'wire-pool');
    assert.equal(typeof c.json.UserPool.CreationDate, 'number');
    const rid2 = c.headers.get('x-amzn-requestid');
    assert.notEqual(rid2, rid, 'request ids must differ between requests');
  });

  test('error: status, body and headers agree', async () => {
    const r = await idpRaw(emu.url, 'DescribeUserPool', { UserPoolId: 'us-east-1_nope00000' });
    assertWireError(r, 400, 'ResourceNotFoundException', 'User pool us-east-1_nope00000 does not exist.');
    assertCorsOnResponse(r);
  });

  test('SDK v3 surfaces error name, message and request id', async () => {
    const err = await catchError(() => idp.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nope00000' })));
    assert.ok(err instanceof ResourceNotFoundException, `got ${err.name}: ${err.message}`);
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.message, 'User pool us-east-1_nope00000 does not exist.');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(typeof err.$metadata.requestId, 'string');
    assert.ok(err.$metadata.requestId.length >= 8);

    const v = await catchError(() => idp.send(new DescribeUserPoolCommand({ UserPoolId: 'YOUR-USER-POOL-ID' })));
    assert.ok(v instanceof InvalidParameterException, `got ${v.name}: ${v.message}`);
    assert.equal(v.message, "1 validation error detected: Value 'YOUR-USER-POOL-ID' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+");
  });

  test('unknown target → UnknownOperationException', async () => {
    for (const target of [`${IDP_TARGET}.NoSuchOperation`, 'NoSuchService.ListUserPools', 'garbage']) {
      const r = await rawCall(emu.url, target, '{}');
      assertWireError(r, 400, 'UnknownOperationException');
    }
    await assertUp();
  });

  test('missing target → UnknownOperationException', async () => {
    const r = await rawCall(emu.url, null, '{}');
    assertWireError(r, 400, 'UnknownOperationException');
    await assertUp();
  });

  test('malformed JSON → SerializationException', async () => {
    for (const body of ['{"UserPoolId":', 'not json at all', '{"a":1}}']) {
      const r = await rawCall(emu.url, `${IDP_TARGET}.DescribeUserPool`, body);
      assertWireError(r, 400, 'SerializationException');
    }
    await assertUp();
  });

  test('body that is not a JSON object → SerializationException', async () => {
    for (const body of ['[]', '"str"', '42', 'null']) {
      const r = await rawCall(emu.url, `${IDP_TARGET}.ListUserPools`, body);
      assertWireError(r, 400, 'SerializationException');
    }
    await assertUp();
  });

  test('wrong member type → SerializationException', async () => {
    const cases = [
      ['DescribeUserPool', { UserPoolId: 123 }],
      ['ListUserPools', { MaxResults: '10' }],
      ['CreateUserPool', { PoolName: 'x', Policies: [] }],
      ['CreateUserPool', { PoolName: ['x'] }],
    ];
    for (const [op, body] of cases) {
      const r = await idpRaw(emu.url, op, body);
      assertWireError(r, 400, 'SerializationException');
    }
    await assertUp();
  });

  test('oversized body (1.5 MiB) → 413 RequestEntityTooLargeException', async () => {
    const body = Buffer.from(JSON.stringify({ PoolName: 'big', Pad: 'a'.repeat(1.5 * 1024 * 1024) }));
    const u = new URL(emu.url);
    const res = await new Promise((resolve, reject) => {
      const req = http.request({
        host: u.hostname, port: u.port, path: '/', method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `${IDP_TARGET}.CreateUserPool`,
          'content-length': body.length,
        },
      }, (resp) => {
        let text = '';
        resp.setEncoding('utf8');
        resp.on('data', (d) => { text += d; });
        resp.on('end', () => resolve({ status: resp.statusCode, headers: resp.headers, text }));
        resp.on('error', reject);
      });
      // The server may answer and close before it has read the whole body; a write error after
      // the response arrived is fine, one before it is not.
      req.on('error', (e) => reject(e));
      req.end(body);
    });
    assert.equal(res.status, 413, res.text);
    const j = JSON.parse(res.text);
    assert.equal(j.__type, 'RequestEntityTooLargeException');
    assert.equal(String(res.headers['x-amzn-errortype'] || '').split(':')[0], 'RequestEntityTooLargeException');
    await assertUp();
    // and no pool was created from it
    const l = await idpRaw(emu.url, 'ListUserPools', { MaxResults: 60 });
    assert.equal(l.json.UserPools.filter((p) => p.Name === 'big').length, 0);
  });

  test('modeled but unimplemented operation → 501 NotImplementedException naming it', async () => {
    for (const op of ['GetCSVHeader', 'DescribeRiskConfiguration']) {
      const r = await idpRaw(emu.url, op, { UserPoolId: 'us-east-1_abc123456' });
      assertWireError(r, 501, 'NotImplementedException');
      assert.ok(r.json.message.includes(op), `message should name ${op}: ${r.json.message}`);
    }
    const e = await catchError(() => idp.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_abc123456' })));
    assert.equal(e.name, 'NotImplementedException');
    assert.equal(e.$metadata.httpStatusCode, 501);
    assert.ok(e.message.includes('GetCSVHeader'), e.message);
    const e2 = await catchError(() => idp.send(new DescribeRiskConfigurationCommand({ UserPoolId: 'us-east-1_abc123456' })));
    assert.equal(e2.name, 'NotImplementedException');
    await assertUp();
  });

  test('CORS preflight without Origin', async () => {
    const r = await httpRequest(emu.url, {
      method: 'OPTIONS', path: '/',
      headers: {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,authorization',
      },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
    const methods = tokens(r.headers.get('access-control-allow-methods'));
    assert.ok(methods.includes('post') && methods.includes('options'), `Allow-Methods: ${methods}`);
    assert.deepEqual(tokens(r.headers.get('access-control-allow-headers')).sort(),
      ['authorization', 'content-type', 'x-amz-target', 'x-amz-user-agent']);
    assert.equal(r.headers.get('access-control-max-age'), '172800');
    assert.equal(r.text, '');
  });

  test('CORS preflight with Origin on any path', async () => {
    for (const p of ['/', '/some/other/path']) {
      const r = await httpRequest(emu.url, {
        method: 'OPTIONS', path: p,
        headers: {
          origin: 'http://localhost:3000',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-amz-target',
        },
      });
      assert.equal(r.status, 204, `OPTIONS ${p}`);
      assert.equal(r.headers.get('access-control-allow-origin'), 'http://localhost:3000');
      assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
      assert.deepEqual(tokens(r.headers.get('access-control-allow-headers')), ['x-amz-target']);
      assert.equal(r.headers.get('access-control-max-age'), '172800');
    }
  });

  test('CORS headers on an error response', async () => {
    const r = await rawCall(emu.url, `${IDP_TARGET}.NoSuchOperation`, '{}');
    assert.equal(r.status, 400);
    assertCorsOnResponse(r);
    const r2 = await rawCall(emu.url, `${IDP_TARGET}.DescribeUserPool`, '{"UserPoolId": 1}', { origin: 'http://app.example' });
    assert.equal(r2.status, 400);
    assertCorsOnResponse(r2, 'http://app.example');
  });

  test('Content-Type application/json is accepted', async () => {
    const r = await idpRaw(emu.url, 'CreateUserPool', { PoolName: 'json-ct' }, { 'content-type': 'application/json' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.UserPool.Id, POOL_ID_RE);
    const d = await idpRaw(emu.url, 'DescribeUserPool', { UserPoolId: r.json.UserPool.Id }, { 'content-type': 'application/json' });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.UserPool.Name, 'json-ct');
  });

  // SDKs keep connections alive: 100 parallel keep-alive connections must not starve the server.
  test('100 concurrent requests all succeed', { timeout: 20_000 }, async () => {
    const N = 100;
    const creates = await Promise.all(Array.from({ length: N }, (_, i) =>
      idpRaw(emu.url, 'CreateUserPool', { PoolName: `conc-${i}` })));
    const ids = creates.map((r, i) => {
      assert.equal(r.status, 200, `create ${i}: ${r.text}`);
      return r.json.UserPool.Id;
    });
    assert.equal(new Set(ids).size, N, 'every concurrent create gets a distinct Id');

    // 100 concurrent reads through the SDK
    const described = await Promise.all(ids.map((id) => idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))));
    described.forEach((d, i) => {
      assert.equal(d.UserPool.Id, ids[i]);
      assert.equal(d.UserPool.Name, `conc-${i}`);
    });

    // and all of them are listed
    const seen = new Set();
    let token;
    for (let page = 0; page < 20; page++) {
      const out = await idp.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
      for (const p of out.UserPools) seen.add(p.Id);
      token = out.NextToken;
      if (!token) break;
    }
    for (const id of ids) assert.ok(seen.has(id), `pool ${id} missing from ListUserPools`);
    await assertUp();
  });

  test('SDK CreateUserPool works after all the abuse', async () => {
    const out = await idp.send(new CreateUserPoolCommand({ PoolName: 'still-alive' }));
    assert.match(out.UserPool.Id, POOL_ID_RE);
  });
});
