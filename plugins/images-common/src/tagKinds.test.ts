import { classifyTag, compareTagVersions, sortByTagVersion } from './tagKinds';

describe('classifyTag', () => {
  it.each([
    ['staging', 'environment'],
    ['latest', 'environment'],
    ['v1.2.3', 'release'],
    ['1.4', 'release'],
    ['2.0.0-rc.1', 'release'],
    ['abc1234', 'commit'],
    ['main-3f9e2a1', 'commit'],
    ['sha-3f9e2a1b', 'commit'],
    ['rollback-20261101-120000-bad-deploy', 'rollback'],
    ['pr-42', 'pull-request'],
    ['pr-42-abc1234', 'pull-request'],
    [`sha256-${'a'.repeat(64)}.sig`, 'artifact'],
    [`sha256-${'a'.repeat(64)}`, 'artifact'],
    ['nightly', 'other'],
    ['deadbeef-feature', 'other'],
  ])('%s is %s', (tag, kind) => {
    expect(classifyTag(tag, ['staging', 'latest'])).toBe(kind);
  });
});

describe('compareTagVersions', () => {
  it('orders versions numerically, releases above their pre-releases, other names last and newest first', () => {
    expect(
      ['v1.9.2', 'nightly', 'v1.10.0', 'v1.10.0-rc.1', '2.0.0', 'abc'].sort(
        compareTagVersions,
      ),
    ).toEqual(['2.0.0', 'v1.10.0', 'v1.10.0-rc.1', 'v1.9.2', 'nightly', 'abc']);
  });

  it('puts numbered builds newest first', () => {
    expect(
      ['build-9', 'build-10', 'build-100'].sort(compareTagVersions),
    ).toEqual(['build-100', 'build-10', 'build-9']);
  });
});

describe('sortByTagVersion', () => {
  it('orders like compareTagVersions', () => {
    const tags = [
      'build-9',
      'v2.0.0',
      'build-10',
      'v2.0.0-rc.2',
      'v2.0.0-rc.10',
      'latest',
      'v10.0.0',
    ];
    expect(sortByTagVersion(tags, tag => tag)).toEqual(
      [...tags].sort(compareTagVersions),
    );
    expect(sortByTagVersion(tags, tag => tag)).toEqual([
      'v10.0.0',
      'v2.0.0',
      'v2.0.0-rc.10',
      'v2.0.0-rc.2',
      'latest',
      'build-10',
      'build-9',
    ]);
  });
});
