import { Entity } from '@backstage/catalog-model';
import {
  entityImageByName,
  parseEnvironmentsAnnotation,
  parseImagesAnnotation,
  readEntityImagesSpec,
  resolveEnvironments,
  environmentImage,
} from './entityImages';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'dotca', annotations },
  spec: {},
});

describe('parseImagesAnnotation', () => {
  it('reads several repositories, trims them and drops duplicates', () => {
    expect(
      parseImagesAnnotation(
        ' ghcr.io/bxtech/dotca , nginx, docker.io/library/nginx ',
      ),
    ).toEqual([
      { registry: 'ghcr.io', repository: 'bxtech/dotca' },
      { registry: 'docker.io', repository: 'library/nginx' },
    ]);
  });

  it('names the annotation and the bad entry in its errors', () => {
    expect(() => parseImagesAnnotation('ghcr.io/bxtech/dotca,,nginx')).toThrow(
      /berth.dev\/images has an empty entry/,
    );
    expect(() => parseImagesAnnotation('ghcr.io/bxtech/DotCa')).toThrow(
      /^berth.dev\/images: "ghcr.io\/bxtech\/DotCa" has an invalid repository path component "DotCa"/,
    );
    expect(() => parseImagesAnnotation('ghcr.io/bxtech/dotca:staging')).toThrow(
      /berth.dev\/images: .*names a tag or digest/,
    );
  });
});

describe('parseEnvironmentsAnnotation', () => {
  it('reads environment=tag pairs', () => {
    expect([
      ...parseEnvironmentsAnnotation(
        'staging=staging, production=latest,canary=canary',
      ),
    ]).toEqual([
      ['staging', 'staging'],
      ['production', 'latest'],
      ['canary', 'canary'],
    ]);
  });

  it.each([
    ['staging', /expected environment=tag pairs/],
    ['=latest', /expected environment=tag pairs/],
    ['a=b=c', /expected environment=tag pairs/],
    ['Prod=latest', /invalid environment name "Prod"/],
    ['prod=-x', /invalid tag "-x" for prod/],
    ['prod=a,prod=b', /names prod twice/],
    [
      `sign=sha256-${'a'.repeat(64)}.sig`,
      /gives sign the tag "sha256-a+\.sig" has the form of a signature or attestation tag/,
    ],
    ['undo=rollback-20261122-143005-x', /has the form of a rollback tag/],
  ])('refuses %j', (value, message) => {
    expect(() => parseEnvironmentsAnnotation(value)).toThrow(message);
  });
});

describe('resolveEnvironments', () => {
  const configured = [
    { name: 'development', tag: 'latest-dev' },
    { name: 'staging', tag: 'staging' },
    { name: 'production', tag: 'latest', protected: true, alsoTag: ['main'] },
  ];

  it('is the configured list when the entity names no environments', () => {
    expect(resolveEnvironments(configured, new Map())).toEqual(configured);
  });

  it('has exactly the environments the annotation names: configured ones first, keeping their settings, then new ones', () => {
    expect(
      resolveEnvironments(
        configured,
        parseEnvironmentsAnnotation('canary=canary,production=prod-v1.2.3'),
      ),
    ).toEqual([
      {
        name: 'production',
        tag: 'prod-v1.2.3',
        protected: true,
        alsoTag: ['main'],
      },
      { name: 'canary', tag: 'canary' },
    ]);
  });

  it('leaves out a configured environment the annotation does not name (no false "missing" lane)', () => {
    expect(
      resolveEnvironments(
        configured,
        parseEnvironmentsAnnotation('development=latest-dev,production=latest'),
      ).map(env => env.name),
    ).toEqual(['development', 'production']);
  });
});

describe('readEntityImagesSpec', () => {
  it('is undefined for an entity that is not onboarded', () => {
    expect(readEntityImagesSpec(entity({}))).toBeUndefined();
  });

  it('reads both annotations', () => {
    const spec = readEntityImagesSpec(
      entity({
        'berth.dev/images': 'ghcr.io/bxtech/dotca',
        'berth.dev/environments': 'production=latest',
      }),
    );
    expect(spec?.images).toEqual([
      { registry: 'ghcr.io', repository: 'bxtech/dotca' },
    ]);
    expect(spec?.environmentOverrides.get('production')).toBe('latest');
  });
});

describe('environmentImage', () => {
  const image = { registry: 'ghcr.io', repository: 'bxtech/dotca' };

  it("is the image's own repository unless the environment names another", () => {
    expect(environmentImage(image, { name: 'staging', tag: 'staging' })).toBe(
      image,
    );
    expect(
      environmentImage(image, {
        name: 'production',
        tag: 'latest',
        repository: 'registry.prod.example.com/{repository}',
      }),
    ).toEqual({
      registry: 'registry.prod.example.com',
      repository: 'bxtech/dotca',
    });
    expect(
      environmentImage(image, {
        name: 'production',
        tag: 'latest',
        repository: '{registry}/{repository}-prod',
      }),
    ).toEqual({ registry: 'ghcr.io', repository: 'bxtech/dotca-prod' });
  });

  it('names the environment whose template gives no valid repository', () => {
    expect(() =>
      environmentImage(image, {
        name: 'production',
        tag: 'latest',
        repository: '{registry}/{repository}:prod',
      }),
    ).toThrow(
      /^The repository of environment production \("\{registry\}\/\{repository\}:prod"\) gives "ghcr.io\/bxtech\/dotca:prod": /,
    );
  });
});

describe('entityImageByName', () => {
  const images = parseImagesAnnotation(
    'ghcr.io/bxtech/dotca, nginx, localhost:5000/acme/api',
  );

  it('gives the first image when no name is given', () => {
    expect(entityImageByName(images)).toBe(images[0]);
    expect(entityImageByName(images, '')).toBe(images[0]);
    expect(entityImageByName([])).toBeUndefined();
  });

  it('finds an image by its formatted reference', () => {
    expect(entityImageByName(images, 'localhost:5000/acme/api')).toBe(
      images[2],
    );
    expect(entityImageByName(images, 'docker.io/library/nginx')).toBe(
      images[1],
    );
  });

  it('finds nothing for a name the entity does not have, or one written another way', () => {
    expect(entityImageByName(images, 'ghcr.io/bxtech/other')).toBeUndefined();
    // Only the normalised form matches, as the API and the overview write it.
    expect(entityImageByName(images, 'nginx')).toBeUndefined();
  });
});
