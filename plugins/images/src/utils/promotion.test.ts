import { promotion } from '../__testUtils__/fixtures';
import { describeOutcome, isSameEntityRef, userName } from './promotion';

describe('userName', () => {
  it('names users as people say them', () => {
    expect(userName('user:default/alice')).toBe('alice');
    expect(userName('user:ops/bob')).toBe('ops/bob');
    expect(userName('User:default/Carol')).toBe('Carol');
    expect(userName('group:default/team-a')).toBe('group:default/team-a');
    expect(userName('not a ref:')).toBe('not a ref:');
  });
});

describe('isSameEntityRef', () => {
  it('ignores case, and never matches a missing reference', () => {
    expect(isSameEntityRef('user:default/alice', 'User:default/Alice')).toBe(
      true,
    );
    expect(isSameEntityRef('user:default/alice', 'user:default/bob')).toBe(
      false,
    );
    expect(isSameEntityRef('user:default/alice', undefined)).toBe(false);
  });
});

describe('describeOutcome', () => {
  it('words each way a promotion or rollback can end', () => {
    expect(describeOutcome(promotion())).toEqual({
      severity: 'success',
      message: 'Promoted ghcr.io/bxtech/dotca to staging (staging)',
    });
    expect(describeOutcome(promotion({ kind: 'rollback', tags: [] }))).toEqual({
      severity: 'success',
      message: 'Rolled staging of ghcr.io/bxtech/dotca back',
    });
    expect(
      describeOutcome(
        promotion({ environment: 'production', status: 'pending-approval' }),
      ).message,
    ).toBe(
      'Promotion of production is waiting for approval: a second person must approve it',
    );
    expect(
      describeOutcome(
        promotion({ status: 'failed', error: 'ghcr.io answered 500' }),
      ),
    ).toEqual({
      severity: 'error',
      message: 'Promotion of staging failed: ghcr.io answered 500',
    });
    expect(
      describeOutcome(promotion({ kind: 'rollback', status: 'rejected' }))
        .message,
    ).toBe('Rollback of staging rejected');
  });
});
