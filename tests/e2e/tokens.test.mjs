// Tokens: claims, headers, validity, JWKS and OpenID configuration, verified with aws-jwt-verify
// (CognitoJwtVerifier, SimpleJwksCache with a rewriting fetcher, the generic JwtVerifier), and
// GetUser's answers for expired and tampered access tokens.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import {
  JwtExpiredError, JwtInvalidIssuerError, JwtInvalidSignatureError, CognitoJwtInvalidTokenUseError,
  CognitoJwtInvalidClientIdError, KidNotFoundInJwksError, ParameterValidationError,
} from 'aws-jwt-verify/error';
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createClient, createConfirmedUser, passwordAuth, expectError,
  setClock, decodeJwt, fetchJwks, fetchOpenIdConfig, httpRequest, PASSWORD, ISSUER_PREFIX, UUID_V4_RE,
} from './support/idp.mjs';

const AWS_HOST = 'https://cognito-idp.us-east-1.amazonaws.com';
const POOL_SCHEMA = [
  { Name: 'tier', AttributeDataType: 'String', Mutable: true },
  { Name: 'level', AttributeDataType: 'Number', Mutable: true },
];

/** A pool with custom attributes, a client, and a signed-in user with a verified email. */
async function signedIn(idp, { poolInput = {}, clientInput = {}, username = 'tina' } = {}) {
  const { poolId, clientId } = await createPoolAndClient(idp, { Schema: POOL_SCHEMA, ...poolInput }, clientInput);
  const user = await createConfirmedUser(idp, poolId, username, PASSWORD, [
    { Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' },
    { Name: 'custom:tier', Value: 'gold' }, { Name: 'custom:level', Value: '7' },
  ]);
  const sub = user.Attributes.find((a) => a.Name === 'sub').Value;
  const res = await passwordAuth(idp, clientId, username, PASSWORD);
  return { poolId, clientId, sub, tokens: res.AuthenticationResult };
}

/**
 * A JWKS cache whose fetcher refuses: verify() would otherwise download the JWKS from AWS when
 * a kid is unknown. Tests feed the emulator's JWKS with cacheJwks() and never leave 127.0.0.1.
 */
const offline = () => ({
  jwksCache: new SimpleJwksCache({
    fetcher: { async fetch(uri) { throw new Error(`test refuses to fetch ${uri}`); } },
  }),
});

const tamperSignature = (jwt) => {
  const [h, p, s] = jwt.split('.');
  const bytes = Buffer.from(s, 'base64url');
  bytes[10] ^= 0x01;
  return `${h}.${p}.${bytes.toString('base64url')}`;
};

const tamperPayload = (jwt, change) => {
  const [h, p, s] = jwt.split('.');
  const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), ...change };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
};

async function rejects(promise, ErrorClass, message) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected verification to fail with ${ErrorClass.name}`);
  assert.ok(err instanceof ErrorClass, `expected ${ErrorClass.name}, got ${err.constructor.name}: ${err.message}`);
  if (message instanceof RegExp) assert.match(err.message, message);
  else if (message !== undefined) assert.equal(err.message, message);
  return err;
}

describe('token claims', { timeout: 60_000 }, () => {
  test('ID and access token headers and claims are exactly what Cognito issues', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const t0 = Math.floor(Date.now() / 1000);
    const { poolId, clientId, sub, tokens } = await signedIn(idp);
    const id = decodeJwt(tokens.IdToken);
    const access = decodeJwt(tokens.AccessToken);
    assert.deepEqual(Object.keys(id.header).sort(), ['alg', 'kid']);
    assert.deepEqual(Object.keys(access.header).sort(), ['alg', 'kid']);
    assert.equal(id.header.alg, 'RS256');
    assert.equal(access.header.alg, 'RS256');
    assert.notEqual(id.header.kid, access.header.kid, 'ID and access tokens use different keys');

    const ip = id.payload;
    const ap = access.payload;
    assert.ok(Math.abs(ip.iat - t0) <= 5, `iat ${ip.iat} is now (${t0})`);
    assert.match(ip.jti, UUID_V4_RE);
    assert.match(ap.jti, UUID_V4_RE);
    assert.notEqual(ip.jti, ap.jti);
    assert.match(ip.origin_jti, UUID_V4_RE);
    assert.match(ip.event_id, UUID_V4_RE);
    assert.deepEqual(ip, {
      sub,
      email_verified: true,
      iss: ISSUER_PREFIX + poolId,
      'cognito:username': 'tina',
      origin_jti: ip.origin_jti,
      aud: clientId,
      event_id: ip.event_id,
      token_use: 'id',
      auth_time: ip.iat,
      exp: ip.iat + 3600,
      iat: ip.iat,
      jti: ip.jti,
      email: 'tina@example.com',
      'custom:tier': 'gold',
      'custom:level': '7',
    });
    assert.deepEqual(ap, {
      sub,
      iss: ISSUER_PREFIX + poolId,
      client_id: clientId,
      origin_jti: ip.origin_jti,
      event_id: ip.event_id,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: ip.iat,
      exp: ip.iat + 3600,
      iat: ip.iat,
      jti: ap.jti,
      username: 'tina',
    });
    assert.equal(tokens.ExpiresIn, 3600);

    // both kids are in the pool's JWKS, and node:crypto verifies both signatures with them
    const jwks = await fetchJwks(url, poolId);
    for (const jwt of [tokens.IdToken, tokens.AccessToken]) {
      const { header } = decodeJwt(jwt);
      const jwk = jwks.keys.find((k) => k.kid === header.kid);
      assert.ok(jwk, `kid ${header.kid} is in the JWKS`);
      const [h, p, s] = jwt.split('.');
      const ok = createVerify('RSA-SHA256').update(`${h}.${p}`)
        .verify(createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
      assert.equal(ok, true, 'RS256 signature verifies');
    }
  });

  test('client token validity settings change exp and ExpiresIn', async (t) => {
    const { idp } = await emulatorFor(t);
    const { tokens } = await signedIn(idp, {
      clientInput: {
        AccessTokenValidity: 2, IdTokenValidity: 30,
        TokenValidityUnits: { AccessToken: 'hours', IdToken: 'minutes', RefreshToken: 'days' },
      },
    });
    const ip = decodeJwt(tokens.IdToken).payload;
    const ap = decodeJwt(tokens.AccessToken).payload;
    assert.equal(ap.exp - ap.iat, 7200);
    assert.equal(ip.exp - ip.iat, 1800);
    assert.equal(tokens.ExpiresIn, 7200);
  });

  test('GetUser: an expired access token and a tampered one are refused', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { tokens } = await signedIn(idp);
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).Username, 'tina');
    await expectError(idp.send(new GetUserCommand({ AccessToken: tamperSignature(tokens.AccessToken) })),
      'NotAuthorizedException', 'Invalid Access Token');
    await expectError(idp.send(new GetUserCommand({ AccessToken: tamperPayload(tokens.AccessToken, { username: 'mallory' }) })),
      'NotAuthorizedException', 'Invalid Access Token');
    await expectError(idp.send(new GetUserCommand({ AccessToken: 'not.a.jwt' })), 'NotAuthorizedException', 'Invalid Access Token');
    await setClock(url, { advance: 3601 });
    await expectError(idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      'NotAuthorizedException', 'Access Token has expired');
  });
});

describe('JWKS and OpenID configuration', { timeout: 60_000 }, () => {
  test('jwks.json holds the two RSA signing keys; openid-configuration agrees with iss', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, tokens } = await signedIn(idp);
    const jwks = await fetchJwks(url, poolId);
    assert.deepEqual(Object.keys(jwks), ['keys']);
    assert.equal(jwks.keys.length, 2);
    for (const k of jwks.keys) {
      assert.deepEqual(Object.keys(k).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.equal(k.alg, 'RS256');
      assert.equal(k.kty, 'RSA');
      assert.equal(k.use, 'sig');
      assert.equal(k.e, 'AQAB');
      assert.match(k.n, /^[A-Za-z0-9_-]+$/);
      assert.equal(Buffer.from(k.n, 'base64url').length * 8, 2048, 'a 2048-bit modulus');
    }
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(),
      [decodeJwt(tokens.IdToken).header.kid, decodeJwt(tokens.AccessToken).header.kid].sort());
    // stable across requests, and distinct per pool
    assert.deepEqual(await fetchJwks(url, poolId), jwks);
    const other = await createPoolAndClient(idp);
    const otherKids = (await fetchJwks(url, other.poolId)).keys.map((k) => k.kid);
    assert.equal(otherKids.filter((kid) => jwks.keys.some((k) => k.kid === kid)).length, 0);

    const oidc = await fetchOpenIdConfig(url, poolId);
    assert.equal(oidc.issuer, decodeJwt(tokens.IdToken).payload.iss);
    assert.equal(oidc.issuer, ISSUER_PREFIX + poolId);
    assert.equal(typeof oidc.jwks_uri, 'string');
    assert.ok(oidc.jwks_uri.endsWith(`/${poolId}/.well-known/jwks.json`), `jwks_uri ${oidc.jwks_uri}`);

    const missing = await httpRequest(url, { path: '/us-east-1_doesNotEx/.well-known/jwks.json' });
    assert.equal(missing.status, 404);
  });
});

describe('aws-jwt-verify', { timeout: 60_000 }, () => {
  test('CognitoJwtVerifier verifies both tokens with cacheJwks', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId, sub, tokens } = await signedIn(idp);
    const jwks = await fetchJwks(url, poolId);
    const idV = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId }, offline());
    const accessV = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId }, offline());
    idV.cacheJwks(jwks);
    accessV.cacheJwks(jwks);
    const ip = await idV.verify(tokens.IdToken);
    assert.equal(ip.sub, sub);
    assert.equal(ip['cognito:username'], 'tina');
    assert.equal(ip.email, 'tina@example.com');
    const ap = await accessV.verify(tokens.AccessToken);
    assert.equal(ap.username, 'tina');
    assert.equal(ap.client_id, clientId);
    assert.deepEqual(idV.verifySync(tokens.IdToken), ip);

    // wrong token use, wrong client, tampered signature or payload
    await rejects(idV.verify(tokens.AccessToken), CognitoJwtInvalidTokenUseError);
    await rejects(accessV.verify(tokens.IdToken), CognitoJwtInvalidTokenUseError);
    const otherClient = await createClient(idp, poolId);
    const wrongClientV = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId: otherClient.ClientId }, offline());
    wrongClientV.cacheJwks(jwks);
    await rejects(wrongClientV.verify(tokens.AccessToken), CognitoJwtInvalidClientIdError);
    const wrongAudV = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId: otherClient.ClientId }, offline());
    wrongAudV.cacheJwks(jwks);
    await rejects(wrongAudV.verify(tokens.IdToken), CognitoJwtInvalidClientIdError, /not allowed/);
    await rejects(idV.verify(tamperSignature(tokens.IdToken)), JwtInvalidSignatureError);
    await rejects(accessV.verify(tamperSignature(tokens.AccessToken)), JwtInvalidSignatureError);
    await rejects(accessV.verify(tamperPayload(tokens.AccessToken, { username: 'mallory' })), JwtInvalidSignatureError);
  });

  test('SimpleJwksCache with a fetcher that rewrites the AWS host to the emulator', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const { poolId, clientId, tokens } = await signedIn(idp);
    const fetched = [];
    const jwksCache = new SimpleJwksCache({
      fetcher: {
        async fetch(uri) {
          fetched.push(uri);
          assert.ok(uri.startsWith(AWS_HOST + '/'), `fetcher asked for ${uri}`);
          const r = await fetch(url + uri.slice(AWS_HOST.length), { headers: { connection: 'close' } });
          assert.equal(r.status, 200);
          return r.arrayBuffer();
        },
      },
    });
    const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId }, { jwksCache });
    const ip = await verifier.verify(tokens.IdToken);
    assert.equal(ip.token_use, 'id');
    assert.deepEqual(fetched, [`${AWS_HOST}/${poolId}/.well-known/jwks.json`]);
    const accessV = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId }, { jwksCache });
    const ap = await accessV.verify(tokens.AccessToken);
    assert.equal(ap.token_use, 'access');
    assert.equal(fetched.length, 1, 'the shared cache already holds the JWKS');
  });

  test('a token from another pool is refused', async (t) => {
    const { idp, url } = await emulatorFor(t);
    const a = await signedIn(idp, { username: 'ann' });
    const b = await signedIn(idp, { username: 'ben' });
    const verifier = CognitoJwtVerifier.create({ userPoolId: a.poolId, tokenUse: 'access', clientId: [a.clientId, b.clientId] }, offline());
    verifier.cacheJwks(await fetchJwks(url, a.poolId));
    assert.equal((await verifier.verify(a.tokens.AccessToken)).username, 'ann');
    // aws-jwt-verify reports a token whose iss is not one of its configured pools this way
    await rejects(verifier.verify(b.tokens.AccessToken), ParameterValidationError, `issuer not configured: ${ISSUER_PREFIX}${b.poolId}`);
    // and B's token forged onto A's issuer does not match A's keys
    const forged = tamperPayload(b.tokens.AccessToken, { iss: ISSUER_PREFIX + a.poolId });
    assert.throws(() => verifier.verifySync(forged), KidNotFoundInJwksError);
    await rejects(verifier.verify(forged), Error, /test refuses to fetch/);
  });

  test('tokens issued 2 hours ago (emulator clock set back) are expired for aws-jwt-verify', async (t) => {
    const { idp, url } = await emulatorFor(t);
    await setClock(url, { set: Math.floor(Date.now() / 1000) - 7200 });
    const { poolId, clientId, tokens } = await signedIn(idp);
    const ap = decodeJwt(tokens.AccessToken).payload;
    assert.ok(ap.exp < Date.now() / 1000 - 3000, `exp ${ap.exp} is about an hour in the past`);
    const jwks = await fetchJwks(url, poolId);
    const idV = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId }, offline());
    const accessV = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId }, offline());
    idV.cacheJwks(jwks);
    accessV.cacheJwks(jwks);
    await rejects(idV.verify(tokens.IdToken), JwtExpiredError, /^Token expired at /);
    await rejects(accessV.verify(tokens.AccessToken), JwtExpiredError, /^Token expired at /);
    // the signature itself is fine: with a generous grace period they verify
    const lenient = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId, graceSeconds: 4 * 3600 }, offline());
    lenient.cacheJwks(jwks);
    assert.equal((await lenient.verify(tokens.AccessToken)).username, 'tina');
  });
});

describe('--issuer local', { timeout: 60_000 }, () => {
  test('iss is <url>/<poolId>; openid-configuration agrees; JwtVerifier verifies', async (t) => {
    const { idp, url } = await emulatorFor(t, { args: ['--issuer', 'local'] });
    const { poolId, clientId, sub, tokens } = await signedIn(idp);
    const issuer = `${url}/${poolId}`;
    const ip = decodeJwt(tokens.IdToken).payload;
    const ap = decodeJwt(tokens.AccessToken).payload;
    assert.equal(ip.iss, issuer);
    assert.equal(ap.iss, issuer);
    const oidc = await fetchOpenIdConfig(url, poolId);
    assert.equal(oidc.issuer, issuer);
    assert.equal(oidc.jwks_uri, `${issuer}/.well-known/jwks.json`);

    const jwks = await fetchJwks(url, poolId);
    const generic = JwtVerifier.create({ issuer, audience: null, jwksUri: oidc.jwks_uri }, offline());
    generic.cacheJwks(jwks);
    assert.equal((await generic.verify(tokens.AccessToken)).sub, sub);
    assert.equal((await generic.verify(tokens.IdToken)).sub, sub);
    const withAud = JwtVerifier.create({ issuer, audience: clientId }, offline());
    withAud.cacheJwks(jwks);
    assert.equal((await withAud.verify(tokens.IdToken))['cognito:username'], 'tina');
    await rejects(generic.verify(tamperSignature(tokens.IdToken)), JwtInvalidSignatureError);

    // the AWS-issuer verifier refuses these tokens
    const cognito = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId }, offline());
    cognito.cacheJwks(jwks);
    await rejects(cognito.verify(tokens.IdToken), ParameterValidationError, `issuer not configured: ${issuer}`);
    const wrongIssuer = JwtVerifier.create({ issuer: ISSUER_PREFIX + poolId, audience: null }, offline());
    wrongIssuer.cacheJwks(jwks);
    await rejects(wrongIssuer.verify(tokens.IdToken), JwtInvalidIssuerError);
  });
});
