import { ConfigReader } from '@backstage/config';
import { PromotionCandidate } from '@berth/plugin-images-node';
import {
  builtinGates,
  readValidationConfig,
  ValidationSettings,
} from './gates';

const candidate = (
  changes: Partial<PromotionCandidate> = {},
): PromotionCandidate => ({
  image: { registry: 'ghcr.io', repository: 'bxtech/dotca' },
  digest: `sha256:${'a'.repeat(64)}`,
  targetEnvironment: 'production',
  sizeBytes: 412_000_000,
  layerCount: 12,
  labels: {
    'org.opencontainers.image.source': 'https://github.com/bxtech/dotca',
  },
  platforms: ['linux/amd64', 'linux/arm64'],
  runtimes: [
    {
      platform: 'linux/amd64',
      cmd: ['node', 'server.js'],
      user: 'node',
      healthcheck: ['CMD', 'curl', '-f', 'http://localhost/health'],
    },
    {
      platform: 'linux/arm64',
      cmd: ['node', 'server.js'],
      user: 'node',
      healthcheck: ['CMD', 'curl', '-f', 'http://localhost/health'],
    },
  ],
  signed: true,
  ...changes,
});

const everything: ValidationSettings = {
  minSize: 100_000_000,
  maxSize: 2_000_000_000,
  maxLayers: 60,
  requireLabels: [
    'org.opencontainers.image.source',
    'org.opencontainers.image.revision',
  ],
  requireCmd: true,
  requireHealthcheck: true,
  requireNonRoot: true,
  requireSignature: true,
};

async function verdicts(settings: ValidationSettings, c: PromotionCandidate) {
  return Promise.all(
    builtinGates(settings).map(async gate => ({
      id: gate.id,
      ...(await gate.evaluate(c)),
    })),
  );
}

describe('built-in promotion gates', () => {
  it('runs only the gates the validation asks for', () => {
    expect(builtinGates({}).map(g => g.id)).toEqual([]);
    expect(builtinGates(everything).map(g => g.id)).toEqual([
      'size',
      'layers',
      'labels',
      'cmd',
      'healthcheck',
      'non-root',
      'signature',
    ]);
  });

  it('says which bound a size is checked against', async () => {
    const [atMost] = await verdicts({ maxSize: 2_000_000_000 }, candidate());
    expect(atMost.message).toBe('412 MB is at most 2 GB');
    const [atLeast] = await verdicts({ minSize: 1_000 }, candidate());
    expect(atLeast.message).toBe('412 MB is at least 1 kB');
  });

  it('passes a well-made image, saying why for each gate', async () => {
    const good = candidate({
      labels: {
        'org.opencontainers.image.source': 'https://github.com/bxtech/dotca',
        'org.opencontainers.image.revision': 'abc1234',
      },
    });
    expect(await verdicts(everything, good)).toEqual([
      { id: 'size', passed: true, message: '412 MB is within 100 MB–2 GB' },
      {
        id: 'layers',
        passed: true,
        message: '12 layers within the limit of 60',
      },
      {
        id: 'labels',
        passed: true,
        message:
          'has the labels org.opencontainers.image.source, org.opencontainers.image.revision',
      },
      {
        id: 'cmd',
        passed: true,
        message: 'sets a command (CMD or ENTRYPOINT)',
      },
      { id: 'healthcheck', passed: true, message: 'has a health check' },
      { id: 'non-root', passed: true, message: 'runs as node' },
      { id: 'signature', passed: true, message: 'is signed' },
    ]);
  });

  it('fails each gate with a message naming what is wrong, per platform where it differs', async () => {
    const bad = candidate({
      sizeBytes: 2_400_000_000,
      layerCount: 75,
      labels: {},
      runtimes: [
        { platform: 'linux/amd64', cmd: ['node'], user: 'node' },
        { platform: 'linux/arm64', user: '0:0', healthcheck: ['NONE'] },
      ],
      signed: false,
    });
    expect(await verdicts(everything, bad)).toEqual([
      { id: 'size', passed: false, message: '2.4 GB is above the 2 GB limit' },
      {
        id: 'layers',
        passed: false,
        message: '75 layers above the limit of 60',
      },
      {
        id: 'labels',
        passed: false,
        message:
          'lacks the labels org.opencontainers.image.source, org.opencontainers.image.revision',
      },
      {
        id: 'cmd',
        passed: false,
        message: 'sets no command (CMD or ENTRYPOINT) (linux/arm64)',
      },
      {
        id: 'healthcheck',
        passed: false,
        message: 'has no health check (linux/amd64, linux/arm64)',
      },
      { id: 'non-root', passed: false, message: 'runs as root (linux/arm64)' },
      { id: 'signature', passed: false, message: 'has no signature' },
    ]);
  });

  it('treats an image without USER as root and one below the minimum size as outside the range', async () => {
    const small = candidate({
      sizeBytes: 48_000,
      runtimes: [{ platform: 'linux/amd64', cmd: ['app'] }],
    });
    expect(
      await verdicts({ minSize: 100_000_000, requireNonRoot: true }, small),
    ).toEqual([
      {
        id: 'size',
        passed: false,
        message: '48 kB is below the 100 MB minimum',
      },
      { id: 'non-root', passed: false, message: 'runs as root (linux/amd64)' },
    ]);
  });
});

describe('the vulnerabilities gate', () => {
  const finding = (id: string, severity: any, pkg = 'openssl') => ({
    id,
    severity,
    package: pkg,
    version: '3.0.11',
    platform: 'linux/amd64',
  });

  it('passes when nothing in the scan is above the ceiling', async () => {
    const [clean] = await verdicts(
      { maxSeverity: 'Medium' },
      candidate({ vulnerabilities: { status: 'scanned', findings: [] } }),
    );
    expect(clean).toEqual({
      id: 'vulnerabilities',
      passed: true,
      message: 'has no known vulnerabilities',
    });
    const [some] = await verdicts(
      { maxSeverity: 'Medium' },
      candidate({
        vulnerabilities: {
          status: 'scanned',
          findings: [finding('CVE-1', 'Low'), finding('CVE-2', 'Medium')],
        },
      }),
    );
    expect(some.passed).toBe(true);
    expect(some.message).toBe('has 2 known vulnerabilities, none above Medium');
  });

  it('fails naming the worst findings first', async () => {
    const [verdict] = await verdicts(
      { maxSeverity: 'Medium' },
      candidate({
        vulnerabilities: {
          status: 'scanned',
          findings: [
            finding('CVE-1', 'High'),
            finding('CVE-2', 'Low'),
            finding('CVE-3', 'Critical', 'glibc'),
            finding('CVE-4', 'High'),
            finding('CVE-5', 'High'),
          ],
        },
      }),
    );
    expect(verdict).toEqual({
      id: 'vulnerabilities',
      passed: false,
      message:
        'has 4 vulnerabilities above Medium: CVE-3 (Critical, glibc 3.0.11), CVE-1 (High, openssl 3.0.11), CVE-4 (High, openssl 3.0.11) and 1 more',
    });
  });

  it('fails when there is no scan to judge by, saying why', async () => {
    const [queued] = await verdicts(
      { maxSeverity: 'High' },
      candidate({
        vulnerabilities: {
          status: 'queued',
          message: 'quay.io has not scanned it yet',
          findings: [],
        },
      }),
    );
    expect(queued).toEqual({
      id: 'vulnerabilities',
      passed: false,
      message: 'quay.io has not scanned it yet',
    });
    const [none] = await verdicts({ maxSeverity: 'High' }, candidate());
    expect(none.passed).toBe(false);
  });
});

describe('validation configuration', () => {
  it('reads the defaults and lets an environment override them field by field', () => {
    const validationFor = readValidationConfig(
      new ConfigReader({
        images: {
          promotion: {
            validation: { minSize: '100MB', maxSize: '2GB', requireCmd: true },
          },
          environments: [
            { name: 'staging', tag: 'staging' },
            {
              name: 'production',
              tag: 'latest',
              validation: { maxSize: '1GiB', requireSignature: true },
            },
          ],
        },
      }),
    );
    expect(validationFor('staging')).toEqual({
      minSize: 100_000_000,
      maxSize: 2_000_000_000,
      requireCmd: true,
    });
    expect(validationFor('production')).toEqual({
      minSize: 100_000_000,
      maxSize: 1024 ** 3,
      requireCmd: true,
      requireSignature: true,
    });
    expect(validationFor('canary')).toEqual(validationFor('staging'));
  });

  it('names the setting that is malformed', () => {
    expect(() =>
      readValidationConfig(
        new ConfigReader({
          images: { promotion: { validation: { maxSeverity: 'severe' } } },
        }),
      ),
    ).toThrow(
      'images.promotion.validation.maxSeverity: "severe" is not a severity (Unknown, Negligible, Low, Medium, High, Critical)',
    );
    expect(() =>
      readValidationConfig(
        new ConfigReader({
          images: { promotion: { validation: { maxSize: 'two gigs' } } },
        }),
      ),
    ).toThrow(
      'images.promotion.validation.maxSize: Invalid size "two gigs": expected a number with an optional unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)',
    );
    expect(() =>
      readValidationConfig(
        new ConfigReader({
          images: {
            environments: [
              {
                name: 'production',
                tag: 'latest',
                validation: { minSize: '2GB', maxSize: '1GB' },
              },
            ],
          },
        }),
      ),
    ).toThrow(
      'images.environments[production].validation: minSize 2 GB is above maxSize 1 GB',
    );
  });
});
