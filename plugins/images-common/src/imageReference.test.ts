import {
  formatImageReference,
  parseImageReference,
  parseImageRepository,
} from './imageReference';

describe('parseImageReference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    [
      'nginx:1.27',
      { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' },
    ],
    ['bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    [
      'index.docker.io/library/nginx',
      { registry: 'docker.io', repository: 'library/nginx' },
    ],
    [
      'registry-1.docker.io/acme/app',
      { registry: 'docker.io', repository: 'acme/app' },
    ],
    [
      'ghcr.io/bxtech/dotca:staging',
      { registry: 'ghcr.io', repository: 'bxtech/dotca', tag: 'staging' },
    ],
    [
      'registry.digitalocean.com/keepkey/support-email:latest-dev',
      {
        registry: 'registry.digitalocean.com',
        repository: 'keepkey/support-email',
        tag: 'latest-dev',
      },
    ],
    [
      'localhost:5000/acme/api',
      { registry: 'localhost:5000', repository: 'acme/api' },
    ],
    [
      'localhost/acme/api:v1',
      { registry: 'localhost', repository: 'acme/api', tag: 'v1' },
    ],
    [
      '127.0.0.1:5000/a/b/c:1.0',
      { registry: '127.0.0.1:5000', repository: 'a/b/c', tag: '1.0' },
    ],
    ['[::1]:5000/a/b', { registry: '[::1]:5000', repository: 'a/b' }],
    [
      `quay.io/jordigilh/gateway-service:sha256-${'a'.repeat(64)}.sig`,
      {
        registry: 'quay.io',
        repository: 'jordigilh/gateway-service',
        tag: `sha256-${'a'.repeat(64)}.sig`,
      },
    ],
    ['a/b__c/d.e-f', { registry: 'docker.io', repository: 'a/b__c/d.e-f' }],
  ])('parses %s', (input, expected) => {
    expect(parseImageReference(input)).toEqual(expected);
  });

  it('parses a digest, with or without a tag', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    expect(parseImageReference(`ghcr.io/o/app@${digest}`)).toEqual({
      registry: 'ghcr.io',
      repository: 'o/app',
      digest,
    });
    expect(parseImageReference(`ghcr.io/o/app:v1@${digest}`)).toEqual({
      registry: 'ghcr.io',
      repository: 'o/app',
      tag: 'v1',
      digest,
    });
  });

  it.each([
    ['', /is empty/],
    ['  ', /is empty/],
    [
      'Nginx',
      /invalid repository path component "Nginx": repository names are lowercase/,
    ],
    ['ghcr.io/Owner/app', /repository names are lowercase/],
    ['ghcr.io/owner//app', /invalid repository path component ""/],
    ['ghcr.io/owner/app-', /invalid repository path component "app-"/],
    ['ghcr.io/owner/app:', /invalid tag ""/],
    ['ghcr.io/owner/app:-bad', /invalid tag "-bad"/],
    [`ghcr.io/owner/app:${'x'.repeat(129)}`, /invalid tag/],
    ['ghcr.io/owner/app@sha256:abc', /invalid digest "sha256:abc"/],
    [`ghcr.io/owner/app@md5:${'a'.repeat(32)}`, /invalid digest/],
    ['https://ghcr.io/owner/app', /is a URL/],
    ['ghcr.io/owner/my app', /contains whitespace/],
    ['localhost:99999/a/b', /invalid registry host "localhost:99999"/],
    ['bad_host.io/a/b', /invalid registry host "bad_host.io"/],
    [`ghcr.io/${'a'.repeat(250)}`, /longer than 255 characters/],
  ])('refuses %j with a clear message', (input, message) => {
    expect(() => parseImageReference(input)).toThrow(message);
  });
});

describe('parseImageRepository', () => {
  it('refuses a tag or a digest, because environments choose tags', () => {
    expect(() => parseImageRepository('ghcr.io/bxtech/dotca:latest')).toThrow(
      /names a tag or digest \(:latest\)/,
    );
  });
});

describe('formatImageReference', () => {
  it('writes the canonical, fully qualified name', () => {
    expect(formatImageReference(parseImageReference('nginx:1.27'))).toBe(
      'docker.io/library/nginx:1.27',
    );
    expect(
      formatImageReference(parseImageReference('localhost:5000/a/b')),
    ).toBe('localhost:5000/a/b');
  });
});
