import {
  covers,
  deleteScope,
  mergeScopes,
  normalizeScope,
  orderScopes,
  pullScope,
  pushScope,
  scopeKey,
} from './scopes';

describe('scopes', () => {
  it('writes the actions of a scope in one order, once each', () => {
    expect(normalizeScope('repository:acme/app:push,pull')).toBe(
      'repository:acme/app:pull,push',
    );
    expect(normalizeScope('repository:acme/app:zap,delete,pull,pull')).toBe(
      'repository:acme/app:pull,delete,zap',
    );
    expect(normalizeScope('registry')).toBe('registry');
  });

  it('puts push, delete and wildcard scopes first, once each', () => {
    expect(
      orderScopes([
        'repository:a:pull',
        'repository:b:pull,push',
        'repository:a:pull',
        'repository:c:delete',
      ]),
    ).toEqual([
      'repository:b:pull,push',
      'repository:c:delete',
      'repository:a:pull',
    ]);
  });

  it('caches a token under the same key whatever the order of its scopes', () => {
    expect(scopeKey(['repository:b:pull', 'repository:a:pull'])).toBe(
      scopeKey(['repository:a:pull', 'repository:b:pull']),
    );
  });

  it('knows which scope grants another', () => {
    expect(covers(pushScope('a'), pullScope('a'))).toBe(true);
    expect(covers(pullScope('a'), pushScope('a'))).toBe(false);
    expect(covers(pushScope('a'), pullScope('b'))).toBe(false);
    expect(covers('repository:a:*', deleteScope('a'))).toBe(true);
  });

  it('writes the pull, push and delete scopes of a repository', () => {
    expect([
      pullScope('acme/app'),
      pushScope('acme/app'),
      deleteScope('acme/app'),
    ]).toEqual([
      'repository:acme/app:pull',
      'repository:acme/app:pull,push',
      'repository:acme/app:delete',
    ]);
  });

  it('merges a request scopes with its client scopes, leaving out what another one grants', () => {
    expect(
      mergeScopes([pullScope('dst')], [pushScope('dst'), pullScope('src')]),
    ).toEqual([pushScope('dst'), pullScope('src')]);
    expect(mergeScopes([pushScope('dst')], [pushScope('dst')])).toEqual([
      pushScope('dst'),
    ]);
    expect(mergeScopes(['repository:a:push,pull'], [pushScope('a')])).toEqual([
      'repository:a:push,pull',
    ]);
    expect(mergeScopes([pullScope('a')], [])).toEqual([pullScope('a')]);
  });
});
