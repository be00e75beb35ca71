import {
  imagesInDeploymentFile,
  parseDeploymentFilesAnnotation,
  resolveDeploymentFileUrl,
} from './deploymentFiles';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const references = (content: string) =>
  imagesInDeploymentFile(content, 'deploy/file.yaml').map(i => i.reference);

describe('imagesInDeploymentFile', () => {
  it('reads the image of every docker-compose service', () => {
    const content = `
services:
  web:
    image: registry.example.com/shop/web:3f2a9c1
    ports: ["8080:8080"]
  worker:
    image: registry.example.com/shop/worker@${DIGEST}
  db:
    image: postgres:16
`;
    expect(imagesInDeploymentFile(content, 'docker-compose.yaml')).toEqual([
      { reference: 'registry.example.com/shop/web:3f2a9c1' },
      {
        reference: `registry.example.com/shop/worker@${DIGEST}`,
        digest: DIGEST,
      },
      { reference: 'postgres:16' },
    ]);
  });

  it('keeps a commit made of digits a tag, not a number', () => {
    expect(
      references('services:\n  web:\n    image: shop/web:1234567\n'),
    ).toEqual(['shop/web:1234567']);
    expect(
      references('image:\n  repository: shop/web\n  tag: 1e45678\n'),
    ).toEqual(['shop/web:1e45678']);
  });

  it("reads a kustomization's images: newName or name, with the digest or newTag", () => {
    const content = `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
images:
  - name: shop/web
    newName: registry.example.com/shop/web
    newTag: 3f2a9c1
  - name: registry.example.com/shop/worker
    digest: ${DIGEST}
  - name: nginx
    newName: mirror.example.com/nginx
`;
    expect(imagesInDeploymentFile(content, 'kustomization.yaml')).toEqual([
      { reference: 'registry.example.com/shop/web:3f2a9c1' },
      {
        reference: `registry.example.com/shop/worker@${DIGEST}`,
        digest: DIGEST,
      },
    ]);
  });

  it('reads Helm values: image maps anywhere, with registry, tag or digest, and image strings', () => {
    const content = `
image:
  registry: registry.example.com
  repository: shop/web
  tag: "3f2a9c1"
worker:
  image:
    repository: registry.example.com/shop/worker
    tag: 3f2a9c1
    digest: ${DIGEST}
  sidecar:
    image: docker.io/envoyproxy/envoy:v1.30.1
chartDefault:
  image:
    repository: registry.example.com/shop/cron
    tag: ""
`;
    expect(imagesInDeploymentFile(content, 'values.yaml')).toEqual([
      { reference: 'registry.example.com/shop/web:3f2a9c1' },
      {
        reference: `registry.example.com/shop/worker:3f2a9c1@${DIGEST}`,
        digest: DIGEST,
      },
      { reference: 'docker.io/envoyproxy/envoy:v1.30.1' },
    ]);
  });

  it('reads the containers of multi-document Kubernetes manifests, and JSON', () => {
    const content = `
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/shop/migrate:3f2a9c1
      containers:
        - name: web
          image: registry.example.com/shop/web:3f2a9c1
---
apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: web
              image: registry.example.com/shop/web:3f2a9c1
`;
    expect(references(content)).toEqual([
      'registry.example.com/shop/migrate:3f2a9c1',
      'registry.example.com/shop/web:3f2a9c1',
    ]);
    expect(
      references(
        JSON.stringify({
          spec: { containers: [{ image: 'ghcr.io/shop/web:abc1234' }] },
        }),
      ),
    ).toEqual(['ghcr.io/shop/web:abc1234']);
  });

  it('leaves out templated references and gives none for a file that declares no image', () => {
    expect(
      references(
        'services:\n  web:\n    image: "shop/web:${TAG}"\n  api:\n    image: "{{ .Values.image }}"\n',
      ),
    ).toEqual([]);
    expect(references('replicaCount: 2\n')).toEqual([]);
    expect(references('# nothing yet\n')).toEqual([]);
    expect(references('')).toEqual([]);
  });

  it('names the file and line of malformed YAML', () => {
    expect(() =>
      imagesInDeploymentFile(
        'services:\n  web:\n    image: shop/web:1\n   ports: [\n',
        'deploy/staging/docker-compose.yaml',
      ),
    ).toThrow(
      /^deploy\/staging\/docker-compose.yaml is not valid YAML at line 4, column 1: /,
    );
  });

  it('refuses a file that is text, such as a sign-in page', () => {
    expect(() => references('<html>Sign in</html>')).toThrow(
      'deploy/file.yaml is not a deployment file',
    );
  });

  it('refuses aliases that expand without bound', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const previous = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(
        `${next}: &${next} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`,
      );
    }
    expect(() => references(lines.join('\n'))).toThrow(
      'deploy/file.yaml uses more YAML aliases than allowed',
    );
  });
});

describe('parseDeploymentFilesAnnotation', () => {
  const environments = ['staging', 'production'];

  it('reads environment=location pairs', () => {
    expect(
      parseDeploymentFilesAnnotation(
        ' staging=./deploy/staging/docker-compose.yaml , production = https://git.example.com/p.yaml,',
        environments,
      ),
    ).toEqual([
      {
        environment: 'staging',
        location: './deploy/staging/docker-compose.yaml',
      },
      { environment: 'production', location: 'https://git.example.com/p.yaml' },
    ]);
  });

  it('says what is wrong with an entry, for the environment it names when it can tell', () => {
    expect(
      parseDeploymentFilesAnnotation(
        'staging: ./a.yaml, ./b.yaml, production=, =./c.yaml',
        environments,
      ),
    ).toEqual([
      {
        environment: 'staging',
        problem:
          'berth.dev/deployment-files entry "staging: ./a.yaml" has no "=": write it as environment=location, such as staging=./deploy/staging/docker-compose.yaml',
      },
      {
        problem: expect.stringContaining('entry "./b.yaml" has no "="'),
      },
      {
        environment: 'production',
        problem:
          'berth.dev/deployment-files gives environment production an empty location',
      },
      {
        problem:
          'berth.dev/deployment-files entry "=./c.yaml" names no environment before "="',
      },
    ]);
  });
});

describe('resolveDeploymentFileUrl', () => {
  const source = 'url:https://github.com/shop/web/tree/main/';

  it('resolves a relative path against the source location, with or without its trailing slash', () => {
    expect(resolveDeploymentFileUrl('./deploy/a.yaml', source)).toBe(
      'https://github.com/shop/web/tree/main/deploy/a.yaml',
    );
    expect(
      resolveDeploymentFileUrl(
        'deploy/x/../a.yaml',
        'url:https://github.com/shop/web/tree/main',
      ),
    ).toBe('https://github.com/shop/web/tree/main/deploy/a.yaml');
  });

  it('keeps absolute URLs', () => {
    expect(
      resolveDeploymentFileUrl(
        'url:https://git.example.com/d/p.yaml',
        undefined,
      ),
    ).toBe('https://git.example.com/d/p.yaml');
  });

  it('says precisely why a location cannot be resolved', () => {
    expect(() => resolveDeploymentFileUrl('./a.yaml', undefined)).toThrow(
      '"./a.yaml" is a relative path, but the entity has no backstage.io/source-location to resolve it against',
    );
    expect(() => resolveDeploymentFileUrl('../other/a.yaml', source)).toThrow(
      `"../other/a.yaml" leaves the entity's source location (https://github.com/shop/web/tree/main/) with ".."`,
    );
    expect(() => resolveDeploymentFileUrl('/etc/passwd', source)).toThrow(
      '"/etc/passwd" starts with "/"',
    );
    expect(() =>
      resolveDeploymentFileUrl('file:///etc/passwd', source),
    ).toThrow('"file:///etc/passwd" is not an http(s) URL');
    expect(() =>
      resolveDeploymentFileUrl(
        'https://me:s3cret@git.example.com/p.yaml',
        source,
      ),
    ).toThrow(
      '"git.example.com/p.yaml" carries credentials in its URL: configure an integration for git.example.com instead',
    );
    expect(() =>
      resolveDeploymentFileUrl('./a.yaml', 'file:/home/me/shop/'),
    ).toThrow('is not a url: location');
  });
});
