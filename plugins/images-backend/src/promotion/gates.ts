import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  formatImageReference,
  GateResultInfo,
  ImageReference,
} from '@berth/plugin-images-common';
import {
  formatByteSize,
  parseByteSize,
  PromotionCandidate,
  PromotionGate,
  VULNERABILITY_SEVERITIES,
  VulnerabilitySeverity,
} from '@berth/plugin-images-node';
import { inspectPlatforms } from '../registry/inspectImage';
import { RegistryHosts } from '../registry/RegistryHosts';
import { readVulnerabilityScan } from './vulnerabilityScan';

/** The built-in validation of `images.promotion.validation` (and of an environment's `validation`). */
export interface ValidationSettings {
  minSize?: number;
  maxSize?: number;
  maxLayers?: number;
  requireLabels?: string[];
  requireCmd?: boolean;
  requireHealthcheck?: boolean;
  requireNonRoot?: boolean;
  requireSignature?: boolean;
  /** The most severe vulnerability allowed in the registry's scan (`Medium`: anything High or Critical fails). */
  maxSeverity?: VulnerabilitySeverity;
}

function severity(
  value: string | undefined,
  where: string,
): VulnerabilitySeverity | undefined {
  if (value === undefined) return undefined;
  const known = VULNERABILITY_SEVERITIES.find(
    s => s.toLowerCase() === value.toLowerCase(),
  );
  if (!known) {
    throw new InputError(
      `${where}.maxSeverity: "${value}" is not a severity (${VULNERABILITY_SEVERITIES.join(
        ', ',
      )})`,
    );
  }
  return known;
}

function readValidation(
  config: Config | undefined,
  where: string,
): ValidationSettings {
  if (!config) return {};
  const size = (key: string) => {
    const value = config.getOptional<string | number>(key);
    if (value === undefined) return undefined;
    try {
      return parseByteSize(value);
    } catch (error) {
      throw new InputError(`${where}.${key}: ${(error as Error).message}`);
    }
  };
  const settings: ValidationSettings = {
    minSize: size('minSize'),
    maxSize: size('maxSize'),
    maxLayers: config.getOptionalNumber('maxLayers'),
    requireLabels: config.getOptionalStringArray('requireLabels'),
    requireCmd: config.getOptionalBoolean('requireCmd'),
    requireHealthcheck: config.getOptionalBoolean('requireHealthcheck'),
    requireNonRoot: config.getOptionalBoolean('requireNonRoot'),
    requireSignature: config.getOptionalBoolean('requireSignature'),
    maxSeverity: severity(config.getOptionalString('maxSeverity'), where),
  };
  if (
    settings.minSize !== undefined &&
    settings.maxSize !== undefined &&
    settings.minSize > settings.maxSize
  ) {
    throw new InputError(
      `${where}: minSize ${formatByteSize(
        settings.minSize,
      )} is above maxSize ${formatByteSize(settings.maxSize)}`,
    );
  }
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  );
}

/**
 * Validation per environment: `images.promotion.validation` for all, overridden field by field by the environment's
 * own `validation` in `images.environments`.
 */
export function readValidationConfig(
  config: Config,
): (environment: string) => ValidationSettings {
  const defaults = readValidation(
    config.getOptionalConfig('images.promotion.validation'),
    'images.promotion.validation',
  );
  const perEnvironment = new Map<string, ValidationSettings>();
  for (const environment of config.getOptionalConfigArray(
    'images.environments',
  ) ?? []) {
    const name = environment.getString('name');
    perEnvironment.set(name, {
      ...defaults,
      ...readValidation(
        environment.getOptionalConfig('validation'),
        `images.environments[${name}].validation`,
      ),
    });
  }
  return name => perEnvironment.get(name) ?? defaults;
}

const isRoot = (user?: string) =>
  !user || user === 'root' || user === '0' || /^(root|0):/.test(user);

/** The gates that `settings` asks for, in a stable order. */
export function builtinGates(settings: ValidationSettings): PromotionGate[] {
  const gates: PromotionGate[] = [];
  const gate = (
    id: string,
    evaluate: (candidate: PromotionCandidate) => GateResultInfo['passed'],
    message: (candidate: PromotionCandidate, passed: boolean) => string,
  ) =>
    gates.push({
      id,
      async evaluate(candidate) {
        const passed = evaluate(candidate);
        return { passed, message: message(candidate, passed) };
      },
    });

  const { minSize, maxSize } = settings;
  if (minSize !== undefined || maxSize !== undefined) {
    let range = `within ${formatByteSize(minSize ?? 0)}–${formatByteSize(
      maxSize ?? 0,
    )}`;
    if (minSize === undefined) range = `at most ${formatByteSize(maxSize!)}`;
    if (maxSize === undefined) range = `at least ${formatByteSize(minSize!)}`;
    gate(
      'size',
      c =>
        (minSize === undefined || c.sizeBytes >= minSize) &&
        (maxSize === undefined || c.sizeBytes <= maxSize),
      c => {
        const size = formatByteSize(c.sizeBytes);
        if (minSize !== undefined && c.sizeBytes < minSize)
          return `${size} is below the ${formatByteSize(minSize)} minimum`;
        if (maxSize !== undefined && c.sizeBytes > maxSize)
          return `${size} is above the ${formatByteSize(maxSize)} limit`;
        return `${size} is ${range}`;
      },
    );
  }
  const maxLayers = settings.maxLayers;
  if (maxLayers !== undefined) {
    gate(
      'layers',
      c => c.layerCount <= maxLayers,
      (c, passed) =>
        `${c.layerCount} layers ${
          passed ? 'within' : 'above'
        } the limit of ${maxLayers}`,
    );
  }
  const labels = settings.requireLabels ?? [];
  if (labels.length > 0) {
    const missing = (c: PromotionCandidate) =>
      labels.filter(label => !c.labels[label]);
    gate(
      'labels',
      c => missing(c).length === 0,
      (c, passed) =>
        passed
          ? `has the labels ${labels.join(', ')}`
          : `lacks the label${missing(c).length > 1 ? 's' : ''} ${missing(
              c,
            ).join(', ')}`,
    );
  }
  const lacking = (
    c: PromotionCandidate,
    test: (runtime: PromotionCandidate['runtimes'][number]) => boolean,
  ) => c.runtimes.filter(runtime => !test(runtime)).map(r => r.platform);
  const platformsOf = (list: string[]) =>
    list.length ? ` (${list.join(', ')})` : '';
  if (settings.requireCmd) {
    const hasCommand = (r: PromotionCandidate['runtimes'][number]) =>
      Boolean(r.cmd?.length || r.entrypoint?.length);
    gate(
      'cmd',
      c => lacking(c, hasCommand).length === 0,
      (c, passed) =>
        passed
          ? 'sets a command (CMD or ENTRYPOINT)'
          : `sets no command (CMD or ENTRYPOINT)${platformsOf(
              lacking(c, hasCommand),
            )}`,
    );
  }
  if (settings.requireHealthcheck) {
    const hasHealthcheck = (r: PromotionCandidate['runtimes'][number]) =>
      Boolean(r.healthcheck?.length && r.healthcheck[0] !== 'NONE');
    gate(
      'healthcheck',
      c => lacking(c, hasHealthcheck).length === 0,
      (c, passed) =>
        passed
          ? 'has a health check'
          : `has no health check${platformsOf(lacking(c, hasHealthcheck))}`,
    );
  }
  if (settings.requireNonRoot) {
    const nonRoot = (r: PromotionCandidate['runtimes'][number]) =>
      !isRoot(r.user);
    gate(
      'non-root',
      c => lacking(c, nonRoot).length === 0,
      (c, passed) =>
        passed
          ? `runs as ${[...new Set(c.runtimes.map(r => r.user))].join(', ')}`
          : `runs as root${platformsOf(lacking(c, nonRoot))}`,
    );
  }
  if (settings.requireSignature) {
    gate(
      'signature',
      c => c.signed,
      (_c, passed) => (passed ? 'is signed' : 'has no signature'),
    );
  }
  const maxSeverity = settings.maxSeverity;
  if (maxSeverity) {
    const rank = (s: VulnerabilitySeverity) =>
      VULNERABILITY_SEVERITIES.indexOf(s);
    const above = (c: PromotionCandidate) =>
      (c.vulnerabilities?.findings ?? [])
        .filter(f => rank(f.severity) > rank(maxSeverity))
        .sort((a, b) => rank(b.severity) - rank(a.severity));
    gate(
      'vulnerabilities',
      c => c.vulnerabilities?.status === 'scanned' && above(c).length === 0,
      c => {
        const scan = c.vulnerabilities;
        if (!scan || scan.status !== 'scanned') {
          return scan?.message ?? 'has no vulnerability scan';
        }
        const worse = above(c);
        if (worse.length === 0) {
          return scan.findings.length === 0
            ? 'has no known vulnerabilities'
            : `has ${scan.findings.length} known vulnerabilities, none above ${maxSeverity}`;
        }
        const named = worse
          .slice(0, 3)
          .map(
            f =>
              `${f.id} (${f.severity}, ${[f.package, f.version]
                .filter(Boolean)
                .join(' ')})`,
          )
          .join(', ');
        return `has ${worse.length} vulnerabilit${
          worse.length > 1 ? 'ies' : 'y'
        } above ${maxSeverity}: ${named}${
          worse.length > 3 ? ` and ${worse.length - 3} more` : ''
        }`;
      },
    );
  }
  return gates;
}

/**
 * Runs the gates for a promotion: the built-in ones the environment's validation asks for, then those added by
 * modules through `imagesGatesExtensionPoint`. Reads the image by digest only when some gate is configured.
 */
export class GateRunner {
  readonly #registries: RegistryHosts;
  readonly #validationFor: (environment: string) => ValidationSettings;
  readonly #moduleGates: PromotionGate[] = [];

  constructor(options: {
    registries: RegistryHosts;
    validationFor: (environment: string) => ValidationSettings;
  }) {
    this.#registries = options.registries;
    this.#validationFor = options.validationFor;
  }

  addGates(gates: PromotionGate[]): void {
    this.#moduleGates.push(...gates);
  }

  async evaluate(
    image: ImageReference,
    digest: string,
    environment: string,
  ): Promise<GateResultInfo[]> {
    const settings = this.#validationFor(environment);
    const gates = [...builtinGates(settings), ...this.#moduleGates];
    if (gates.length === 0) return [];
    const candidate = await this.candidate(image, digest, environment, {
      scan: Boolean(settings.maxSeverity),
    });
    return Promise.all(
      gates.map(async gate => {
        try {
          const result = await gate.evaluate(candidate);
          return {
            id: gate.id,
            passed: result.passed,
            message: result.message,
          };
        } catch (error) {
          // A gate that cannot decide does not let the image through.
          return {
            id: gate.id,
            passed: false,
            message: `could not be checked: ${(error as Error).message}`,
          };
        }
      }),
    );
  }

  /** What the gates see of the image, read by digest. */
  async candidate(
    image: ImageReference,
    digest: string,
    environment: string,
    options: { scan?: boolean } = {},
  ): Promise<PromotionCandidate> {
    const client = this.#registries.clientFor(image.registry);
    const top = await client.getManifest(image.repository, digest);
    const [platforms, attachments] = await Promise.all([
      inspectPlatforms(client, image.repository, top, { configs: 'all' }),
      client.findAttachments(image.repository, digest),
    ]);
    const runnable = platforms.filter(platform => platform.config);
    const labelSets = runnable.map(platform => platform.config!.labels);
    const labels = Object.fromEntries(
      Object.entries(labelSets[0] ?? {}).filter(([key, value]) =>
        labelSets.every(set => set[key] === value),
      ),
    );
    return {
      image,
      digest,
      targetEnvironment: environment,
      sizeBytes: Math.max(0, ...runnable.map(platform => platform.size)),
      layerCount: Math.max(
        0,
        ...runnable.map(platform => platform.config!.layerCount),
      ),
      labels,
      platforms: runnable.map(platform => platform.platform),
      runtimes: runnable.map(platform => ({
        platform: platform.platform || formatImageReference(image),
        cmd: platform.config!.cmd,
        entrypoint: platform.config!.entrypoint,
        user: platform.config!.user,
        healthcheck: platform.config!.healthcheck,
      })),
      signed: attachments.some(attachment => attachment.kind === 'signature'),
      ...(options.scan && {
        vulnerabilities: await readVulnerabilityScan(
          client,
          image.repository,
          runnable.map(platform => ({
            platform: platform.platform,
            digest: platform.manifest.digest,
          })),
        ),
      }),
    };
  }
}
