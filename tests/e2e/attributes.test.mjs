// User attribute updates and verification through the AWS SDK for JavaScript v3:
// UpdateUserAttributes / AdminUpdateUserAttributes, DeleteUserAttributes /
// AdminDeleteUserAttributes, GetUserAttributeVerificationCode and VerifyUserAttribute, with their
// refusals (client permissions, schema, codes, aliases, tokens) and the claims of later tokens.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  UpdateUserAttributesCommand, AdminUpdateUserAttributesCommand, DeleteUserAttributesCommand,
  AdminDeleteUserAttributesCommand, GetUserAttributeVerificationCodeCommand, VerifyUserAttributeCommand,
  GetUserCommand, AdminGetUserCommand, AdminCreateUserCommand, GlobalSignOutCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  emulatorFor, createPoolAndClient, createClient, createConfirmedUser, passwordAuth, expectError, readMessages,
  lastMessage, clearMessages, setClock, decodeJwt, attrMap, PASSWORD,
} from './support/idp.mjs';

const MISMATCH = 'Invalid verification code provided, please try again.';
const EXPIRED = 'Invalid code provided, please request a code again.';
const UNAUTHORIZED_WRITE = 'A client attempted to write unauthorized attribute';
const NOT_VERIFIABLE = 'Invalid attribute name. Only phone_number and email can be verified.';

const update = (idp, token, attrs, extra = {}) => idp.send(new UpdateUserAttributesCommand({
  AccessToken: token, UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })), ...extra,
}));
const adminUpdate = (idp, poolId, username, attrs) => idp.send(new AdminUpdateUserAttributesCommand({
  UserPoolId: poolId, Username: username, UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
}));
const del = (idp, token, names) => idp.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: names }));
const adminDel = (idp, poolId, username, names) => idp.send(new AdminDeleteUserAttributesCommand({
  UserPoolId: poolId, Username: username, UserAttributeNames: names,
}));
const getCode = (idp, token, name) => idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: name }));
const verify = (idp, token, name, code) => idp.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: name, Code: code }));
const adminAttrs = async (idp, poolId, username) =>
  attrMap((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes);
const signIn = async (idp, clientId, username) => (await passwordAuth(idp, clientId, username, PASSWORD)).AuthenticationResult;
const wrongCode = (code) => (code === '000000' ? '111111' : '000000');

describe('UpdateUserAttributes / AdminUpdateUserAttributes', { timeout: 60_000 }, () => {
  test('a new email is unverified, gets a code, signs in at once (email as username); tokens follow', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    await createConfirmedUser(idp, poolId, 'old@example.com', PASSWORD, [{ Name: 'email_verified', Value: 'true' }]);
    const first = await signIn(idp, clientId, 'old@example.com');
    const out = await update(idp, first.AccessToken, { email: 'new@example.com', name: 'New Name' }, { ClientMetadata: { k: 'v' } });
    assert.deepEqual(out.CodeDeliveryDetailsList, [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'n***@e***' }]);
    const msg = await lastMessage(url, poolId, 'new@example.com');
    assert.equal(msg.destination, 'new@example.com');
    assert.match(msg.code, /^\d{6}$/);

    const attrs = attrMap((await idp.send(new GetUserCommand({ AccessToken: first.AccessToken }))).UserAttributes);
    assert.equal(attrs.email, 'new@example.com');
    assert.equal(attrs.email_verified, 'false');
    assert.equal(attrs.name, 'New Name');
    await expectError(signIn(idp, clientId, 'old@example.com'), 'UserNotFoundException', 'User does not exist.');
    const second = await signIn(idp, clientId, 'new@example.com');
    const id = decodeJwt(second.IdToken).payload;
    assert.equal(id.email, 'new@example.com');
    assert.equal(id.email_verified, false);
    assert.equal(id.name, 'New Name');

    await expectError(verify(idp, first.AccessToken, 'email', wrongCode(msg.code)), 'CodeMismatchException', MISMATCH);
    await verify(idp, first.AccessToken, 'email', msg.code);
    await expectError(verify(idp, first.AccessToken, 'email', msg.code), 'ExpiredCodeException', EXPIRED);  // used up
    // A refresh after the verification carries the new claim.
    const refreshed = await idp.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
    }));
    const rid = decodeJwt(refreshed.AuthenticationResult.IdToken).payload;
    assert.equal(rid.email, 'new@example.com');
    assert.equal(rid.email_verified, true);
  });

  test('AttributesRequireVerificationBeforeUpdate keeps the old email until the new one is verified', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, {
      UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    await createConfirmedUser(idp, poolId, 'old@example.com', PASSWORD, [{ Name: 'email_verified', Value: 'true' }]);
    await createConfirmedUser(idp, poolId, 'other@example.com');
    const { AccessToken } = await signIn(idp, clientId, 'old@example.com');
    await expectError(update(idp, AccessToken, { email: 'other@example.com' }), 'AliasExistsException',
      'An account with the given email already exists.');
    const out = await update(idp, AccessToken, { email: 'new@example.com' });
    assert.equal(out.CodeDeliveryDetailsList[0].AttributeName, 'email');
    const attrs = await adminAttrs(idp, poolId, 'old@example.com');
    assert.equal(attrs.email, 'old@example.com');
    assert.equal(attrs.email_verified, 'true');
    const still = await signIn(idp, clientId, 'old@example.com');
    assert.equal(decodeJwt(still.IdToken).payload.email, 'old@example.com');
    await expectError(signIn(idp, clientId, 'new@example.com'), 'UserNotFoundException');

    // GetUserAttributeVerificationCode resends to the pending value.
    const resent = await getCode(idp, AccessToken, 'email');
    assert.equal(resent.CodeDeliveryDetails.Destination, 'n***@e***');
    const { code } = await lastMessage(url, poolId, 'new@example.com');
    await verify(idp, AccessToken, 'email', code);
    const after = await adminAttrs(idp, poolId, 'new@example.com');
    assert.equal(after.email, 'new@example.com');
    assert.equal(after.email_verified, 'true');
    await expectError(signIn(idp, clientId, 'old@example.com'), 'UserNotFoundException');
    assert.equal(decodeJwt((await signIn(idp, clientId, 'new@example.com')).IdToken).payload.email, 'new@example.com');
  });

  test('AdminUpdateUserAttributes: *_verified=true skips the code; without it a code goes out', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, {
      AliasAttributes: ['email', 'phone_number'], AutoVerifiedAttributes: ['email', 'phone_number'],
      Schema: [{ Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true }],
    });
    await createConfirmedUser(idp, poolId, 'ann');
    await clearMessages(url);
    const out = await adminUpdate(idp, poolId, 'ann', { email: 'ann@example.com', email_verified: 'true', 'dev:custom:secret': 's1' });
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), []);
    assert.equal((await readMessages(url, poolId)).length, 0);
    let attrs = await adminAttrs(idp, poolId, 'ann@example.com');  // the verified alias finds her
    assert.equal(attrs.email_verified, 'true');
    assert.equal(attrs['dev:custom:secret'], 's1');

    await adminUpdate(idp, poolId, 'ann', { phone_number: '+15555550100' });
    const sms = await lastMessage(url, poolId, '+15555550100');
    assert.equal(sms.deliveryMedium, 'SMS');
    attrs = await adminAttrs(idp, poolId, 'ann');
    assert.equal(attrs.phone_number_verified, 'false');
    await expectError(signIn(idp, clientId, '+15555550100'), 'UserNotFoundException');  // not an alias yet
    const { AccessToken } = await signIn(idp, clientId, 'ann');
    await verify(idp, AccessToken, 'phone_number', sms.code);
    assert.equal((await adminAttrs(idp, poolId, 'ann')).phone_number_verified, 'true');
    await signIn(idp, clientId, '+15555550100');

    // dev: attributes are the admin's only.
    await expectError(update(idp, AccessToken, { 'dev:custom:secret': 'x' }), 'NotAuthorizedException', UNAUTHORIZED_WRITE);
    await expectError(adminUpdate(idp, poolId, 'ann', { 'custom:nope': 'x' }), 'InvalidParameterException',
      'Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined');
    await expectError(adminUpdate(idp, poolId, 'nobody', { name: 'x' }), 'UserNotFoundException', 'User does not exist.');
    await expectError(adminUpdate(idp, 'us-east-1_missing', 'ann', { name: 'x' }), 'ResourceNotFoundException',
      'User pool us-east-1_missing does not exist.');
  });

  test('refusals: client WriteAttributes, unknown, immutable, sub, formats and lengths', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, {
      Schema: [{ Name: 'badge', AttributeDataType: 'String', Mutable: false }],
    });
    const narrow = await createClient(idp, poolId, { WriteAttributes: ['name'] });
    await createConfirmedUser(idp, poolId, 'bea', PASSWORD, [{ Name: 'custom:badge', Value: 'b1' }]);
    const { AccessToken } = await signIn(idp, clientId, 'bea');
    const narrowToken = (await signIn(idp, narrow.ClientId, 'bea')).AccessToken;

    await update(idp, narrowToken, { name: 'Bea' });
    await expectError(update(idp, narrowToken, { locale: 'fr' }), 'NotAuthorizedException', UNAUTHORIZED_WRITE);
    await expectError(del(idp, narrowToken, ['locale']), 'NotAuthorizedException', UNAUTHORIZED_WRITE);
    await expectError(update(idp, AccessToken, { email_verified: 'true' }), 'NotAuthorizedException', UNAUTHORIZED_WRITE);
    await expectError(update(idp, AccessToken, { 'custom:nope': 'x' }), 'InvalidParameterException',
      'user.custom:nope: Attribute does not exist in the schema.\n');
    await expectError(update(idp, AccessToken, { 'custom:badge': 'b2' }), 'InvalidParameterException',
      'user.custom:badge: Attribute cannot be updated.\n');
    await expectError(adminUpdate(idp, poolId, 'bea', { 'custom:badge': 'b2' }), 'InvalidParameterException',
      'user.custom:badge: Attribute cannot be updated.\n');
    await expectError(adminUpdate(idp, poolId, 'bea', { sub: 'x' }), 'InvalidParameterException',
      'user.sub: Attribute cannot be updated.\n');
    await expectError(update(idp, AccessToken, { phone_number: '555-0100' }), 'InvalidParameterException',
      'Invalid phone number format.');
    // Values are capped at 2048 characters by the model itself.
    await expectError(update(idp, AccessToken, { name: 'x'.repeat(2049) }), 'InvalidParameterException',
      "1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy constraint: " +
      'Member must have length less than or equal to 2048');
    await update(idp, AccessToken, { name: 'x'.repeat(2048) });
    assert.equal((await adminAttrs(idp, poolId, 'bea'))['custom:badge'], 'b1');
  });
});

describe('DeleteUserAttributes / AdminDeleteUserAttributes', { timeout: 60_000 }, () => {
  test('deleting email drops the flag and the alias; required attributes stay', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, {
      AliasAttributes: ['email'], Schema: [{ Name: 'given_name', Required: true }],
    });
    await createConfirmedUser(idp, poolId, 'cal', PASSWORD, [
      { Name: 'given_name', Value: 'Cal' }, { Name: 'email', Value: 'cal@example.com' },
      { Name: 'email_verified', Value: 'true' }, { Name: 'locale', Value: 'en' }, { Name: 'nickname', Value: 'C' },
    ]);
    await signIn(idp, clientId, 'cal@example.com');
    const { AccessToken } = await signIn(idp, clientId, 'cal');
    await expectError(del(idp, AccessToken, ['given_name']), 'InvalidParameterException',
      'user.given_name: Required attribute cannot be deleted.\n');
    await expectError(adminDel(idp, poolId, 'cal', ['given_name']), 'InvalidParameterException',
      'user.given_name: Required attribute cannot be deleted.\n');
    await expectError(update(idp, AccessToken, { given_name: '' }), 'InvalidParameterException',
      'user.given_name: Required attribute cannot be deleted.\n');

    await del(idp, AccessToken, ['email', 'locale']);
    let attrs = await adminAttrs(idp, poolId, 'cal');
    assert.equal(attrs.email, undefined);
    assert.equal(attrs.email_verified, undefined);
    assert.equal(attrs.locale, undefined);
    assert.equal(attrs.given_name, 'Cal');
    await expectError(signIn(idp, clientId, 'cal@example.com'), 'UserNotFoundException');
    assert.equal(decodeJwt((await signIn(idp, clientId, 'cal')).IdToken).payload.email, undefined);

    await adminDel(idp, poolId, 'cal', ['nickname']);
    attrs = await adminAttrs(idp, poolId, 'cal');
    assert.equal(attrs.nickname, undefined);
    await expectError(adminDel(idp, poolId, 'cal', ['custom:nope']), 'InvalidParameterException',
      'Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined');
    await expectError(adminDel(idp, poolId, 'nobody', ['nickname']), 'UserNotFoundException', 'User does not exist.');
  });
});

describe('GetUserAttributeVerificationCode / VerifyUserAttribute', { timeout: 60_000 }, () => {
  test('codes go to the attribute\'s channel, expire after 24 hours, and are limited per hour', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AliasAttributes: ['email'] });
    await createConfirmedUser(idp, poolId, 'dan', PASSWORD, [
      { Name: 'email', Value: 'dan@example.com' }, { Name: 'phone_number', Value: '+15555550111' },
    ]);
    const { AccessToken } = await signIn(idp, clientId, 'dan');
    const sms = await getCode(idp, AccessToken, 'phone_number');
    assert.equal(sms.CodeDeliveryDetails.DeliveryMedium, 'SMS');
    assert.equal(sms.CodeDeliveryDetails.AttributeName, 'phone_number');
    const mail = await getCode(idp, AccessToken, 'email');
    assert.deepEqual(mail.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'd***@e***' });
    const { code } = await lastMessage(url, poolId, 'dan@example.com');
    await expectError(getCode(idp, AccessToken, 'name'), 'InvalidParameterException', NOT_VERIFIABLE);
    await expectError(verify(idp, AccessToken, 'name', code), 'InvalidParameterException', NOT_VERIFIABLE);

    await setClock(url, { advance: 24 * 3600 + 1 });
    const fresh = (await signIn(idp, clientId, 'dan')).AccessToken;
    await expectError(verify(idp, fresh, 'email', code), 'ExpiredCodeException', EXPIRED);

    for (let i = 0; i < 5; i++) await getCode(idp, fresh, 'email');  // a new hour: five more allowed
    await expectError(getCode(idp, fresh, 'email'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    const latest = (await lastMessage(url, poolId, 'dan@example.com')).code;
    await verify(idp, fresh, 'email', latest);
    assert.equal((await adminAttrs(idp, poolId, 'dan')).email_verified, 'true');
    await signIn(idp, clientId, 'dan@example.com');  // now an alias

    await adminDel(idp, poolId, 'dan', ['phone_number']);
    await expectError(getCode(idp, fresh, 'phone_number'), 'InvalidParameterException');
  });

  test('verifying a taken alias moves it (AWS migrates aliases); ForceAliasCreation on AdminCreateUser', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    await createConfirmedUser(idp, poolId, 'eve', PASSWORD, [
      { Name: 'email', Value: 'shared@example.com' }, { Name: 'email_verified', Value: 'true' },
    ]);
    await createConfirmedUser(idp, poolId, 'fay');
    const { AccessToken } = await signIn(idp, clientId, 'fay');
    await update(idp, AccessToken, { email: 'shared@example.com' });  // unverified duplicates are allowed
    const { code } = await lastMessage(url, poolId, 'fay');
    const holderOf = async (alias) =>
      (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: alias }))).Username;
    assert.equal(await holderOf('shared@example.com'), 'eve');
    await verify(idp, AccessToken, 'email', code);
    assert.equal(await holderOf('shared@example.com'), 'fay');
    assert.equal((await adminAttrs(idp, poolId, 'fay')).email_verified, 'true');
    assert.deepEqual(
      [(await adminAttrs(idp, poolId, 'eve')).email, (await adminAttrs(idp, poolId, 'eve')).email_verified],
      ['shared@example.com', 'false']);
    const viaAlias = await signIn(idp, clientId, 'shared@example.com');
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: viaAlias.AccessToken }))).Username, 'fay');
    // An admin marking eve's value verified moves it back.
    await adminUpdate(idp, poolId, 'eve', { email_verified: 'true' });
    assert.equal(await holderOf('shared@example.com'), 'eve');
    assert.equal((await adminAttrs(idp, poolId, 'fay')).email_verified, 'false');

    const create = {
      UserPoolId: poolId, Username: 'gus', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'shared@example.com' }, { Name: 'email_verified', Value: 'true' }],
    };
    await expectError(idp.send(new AdminCreateUserCommand(create)), 'AliasExistsException', 'An account with the email already exists.');
    await idp.send(new AdminCreateUserCommand({ ...create, ForceAliasCreation: true }));
    const eve = await adminAttrs(idp, poolId, 'eve');
    assert.equal(eve.email, 'shared@example.com');
    assert.equal(eve.email_verified, 'false');
    const holder = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'shared@example.com' }));
    assert.equal(holder.Username, 'gus');
  });

  test('every token call refuses revoked, expired and garbage access tokens', async (t) => {
    const { url, idp } = await emulatorFor(t);
    const { poolId, clientId } = await createPoolAndClient(idp, { AliasAttributes: ['email'] });
    await createConfirmedUser(idp, poolId, 'hal', PASSWORD, [{ Name: 'email', Value: 'hal@example.com' }]);
    const calls = (token) => [
      () => update(idp, token, { name: 'x' }), () => del(idp, token, ['name']), () => getCode(idp, token, 'email'),
      () => verify(idp, token, 'email', '123456'),
    ];
    for (const call of calls('not-a-token')) await expectError(call(), 'NotAuthorizedException', 'Invalid Access Token');

    const revoked = (await signIn(idp, clientId, 'hal')).AccessToken;
    await idp.send(new GlobalSignOutCommand({ AccessToken: revoked }));
    for (const call of calls(revoked)) await expectError(call(), 'NotAuthorizedException', 'Access Token has been revoked');

    await setClock(url, { advance: 1 });
    const expiring = (await signIn(idp, clientId, 'hal')).AccessToken;
    await setClock(url, { advance: 3601 });
    for (const call of calls(expiring)) await expectError(call(), 'NotAuthorizedException', 'Access Token has expired');
  });
});
