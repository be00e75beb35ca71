import { InputError } from '@backstage/errors';
import {
  checkReference,
  referenceName,
  repositoryPath,
  sha256Digest,
} from './references';

describe('references', () => {
  const digest = `sha256:${'a'.repeat(64)}`;

  it('computes the sha256 digest of some bytes', () => {
    expect(sha256Digest(Buffer.from('hello'))).toBe(
      'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
  });

  it('encodes each segment of a repository path and keeps its slashes', () => {
    expect(repositoryPath('acme/team/app')).toBe('acme/team/app');
    expect(repositoryPath('acme/a?b#c')).toBe('acme/a%3Fb%23c');
  });

  it('accepts tags and digests, and refuses anything else before a request', () => {
    expect(checkReference('registry.example', 'v1.2')).toBe('v1.2');
    expect(checkReference('registry.example', digest)).toBe(digest);
    expect(() => checkReference('registry.example', '../v1')).toThrow(
      new InputError(
        '"../v1" is neither a valid tag nor a digest (asked of registry.example)',
      ),
    );
  });

  it('writes a tag after a colon and a digest after an at sign', () => {
    expect(referenceName('acme/app', 'v1')).toBe('acme/app:v1');
    expect(referenceName('acme/app', digest)).toBe(`acme/app@${digest}`);
  });
});
