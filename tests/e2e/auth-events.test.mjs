// Auth events through the AWS SDK for JavaScript v3: no risk-based events are recorded, so a
// user's list is empty, and feedback is accepted; unknown users and pools get AWS's errors.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminListUserAuthEventsCommand, AdminUpdateAuthEventFeedbackCommand, UpdateAuthEventFeedbackCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { emulatorFor, createPoolAndClient, createConfirmedUser, expectError } from './support/idp.mjs';

describe('auth events', { timeout: 60_000 }, () => {
  test('empty event list, accepted feedback, AWS errors for unknown users', async (t) => {
    const { idp } = await emulatorFor(t);
    const { poolId } = await createPoolAndClient(idp);
    await createConfirmedUser(idp, poolId, 'olga');
    const list = await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'olga' }));
    assert.deepEqual(list.AuthEvents, []);
    await idp.send(new AdminUpdateAuthEventFeedbackCommand({
      UserPoolId: poolId, Username: 'olga', EventId: 'event-1', FeedbackValue: 'Valid',
    }));
    await idp.send(new UpdateAuthEventFeedbackCommand({
      UserPoolId: poolId, Username: 'olga', EventId: 'event-1', FeedbackToken: 'token-1', FeedbackValue: 'Invalid',
    }));
    await expectError(idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'nobody' })),
      'UserNotFoundException', 'User does not exist.');
    await expectError(idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: 'us-east-1_Missing1', Username: 'olga' })),
      'ResourceNotFoundException', 'User pool us-east-1_Missing1 does not exist.');
  });
});
