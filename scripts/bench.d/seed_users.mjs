// Seed a pool with users through AdminCreateUser, N requests in flight, until a count is reached.
//   node seed_users.mjs URL POOL_ID PREFIX FIRST LAST [IN_FLIGHT]
// Creates <PREFIX>-<i> with email <PREFIX><i>@example.com for i in FIRST..LAST and prints the
// number created. Exits non-zero on the first refused request. (wrk cannot stop at a count: it
// always runs for its whole -d.)
import http from 'node:http';

const [url, pool, prefix, first, last, inFlight = '16'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(inFlight) });
const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
const headers = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'AWSCognitoIdentityProviderService.AdminCreateUser',
  authorization: `AWS4-HMAC-SHA256 Credential=test/${day}/us-east-1/cognito-idp/aws4_request, ` +
    `SignedHeaders=host, Signature=${'0'.repeat(64)}`,
};

function create(i) {
  const body = JSON.stringify({
    UserPoolId: pool, Username: `${prefix}-${i}`, MessageAction: 'SUPPRESS', TemporaryPassword: 'Passw0rd!',
    UserAttributes: [{ Name: 'email', Value: `${prefix}${i}@example.com` }],
  });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let next = Number(first);
const end = Number(last);
let made = 0;
async function worker() {
  while (next <= end) {
    const i = next++;
    await create(i);
    made++;
  }
}
try {
  await Promise.all(Array.from({ length: Number(inFlight) }, worker));
  agent.destroy();
  process.stdout.write(`${made}\n`);
} catch (e) {
  process.stderr.write(`seed_users: ${e.message}\n`);
  process.exit(1);
}
