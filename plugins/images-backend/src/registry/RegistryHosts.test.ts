import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { RegistryHosts } from './RegistryHosts';

const hostsFrom = (registries: JsonObject[]) =>
  RegistryHosts.fromConfig(new ConfigReader({ images: { registries } }));

describe('RegistryHosts', () => {
  it('recognises the registry product from the host, and Docker Hub by the name users write', () => {
    const hosts = hostsFrom([
      { host: 'docker.io' },
      { host: 'ghcr.io', credentials: { username: 'bot', password: 'ghp_x' } },
      { host: 'quay.io' },
      { host: 'registry.digitalocean.com', credentials: { token: 'dop_v1_x' } },
      {
        host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        credentials: { aws: {} },
      },
      { host: 'europe-docker.pkg.dev' },
      { host: 'acme.azurecr.io' },
      { host: 'harbor.acme.internal', flavor: 'harbor' },
      { host: 'localhost:5000', insecure: true },
    ]);
    expect(
      hosts.hosts.map(host => [host, hosts.clientFor(host).flavor.name]),
    ).toEqual([
      ['docker.io', 'dockerhub'],
      ['ghcr.io', 'github'],
      ['quay.io', 'quay'],
      ['registry.digitalocean.com', 'digitalocean'],
      ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'ecr'],
      ['europe-docker.pkg.dev', 'artifact-registry'],
      ['acme.azurecr.io', 'acr'],
      ['harbor.acme.internal', 'harbor'],
      ['localhost:5000', 'distribution'],
    ]);
    expect(hosts.clientFor('docker.io').flavor.authOrigins).toEqual([
      'https://auth.docker.io',
    ]);
  });

  it('refuses, before any request, a host that is not configured', () => {
    expect(() =>
      hostsFrom([{ host: 'ghcr.io' }]).clientFor('evil.example'),
    ).toThrow(
      'The registry evil.example is not configured: add it under images.registries in app-config.yaml (Berth sends no request to a registry that is not configured)',
    );
  });

  it.each([
    [
      { host: 'ghcr.io', flavor: 'gitlab' },
      'images.registries: the flavor of ghcr.io is "gitlab"; use one of distribution, digitalocean, github, quay, dockerhub, ecr, artifact-registry, acr, harbor',
    ],
    [
      { host: 'ghcr.io', authOrigins: ['http://auth.example'] },
      'images.registries: authOrigins of ghcr.io has "http://auth.example", which is not an https:// origin',
    ],
    [
      { host: 'ghcr.io', endpoint: 'http://127.0.0.1:5000' },
      'images.registries: the endpoint of ghcr.io uses plain HTTP; set insecure: true to allow it (for local registries only)',
    ],
    [
      { host: 'https://ghcr.io' },
      'images.registries has an invalid host "https://ghcr.io": write the host as in image names, such as ghcr.io or localhost:5000',
    ],
  ])('explains a malformed entry %j', (entry, message) => {
    expect(() => hostsFrom([entry])).toThrow(message);
  });

  it('refuses the same host twice', () => {
    expect(() => hostsFrom([{ host: 'ghcr.io' }, { host: 'GHCR.io' }])).toThrow(
      'images.registries lists ghcr.io twice',
    );
  });
});
