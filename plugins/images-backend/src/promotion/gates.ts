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
} from '@berth/plugin-images-node';
import { inspectPlatforms } from '../registry/inspectImage';
import { RegistryHosts } from '../registry/RegistryHosts';

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
    const range =
      minSize !== undefined && maxSize !== undefined
        ? `within ${formatByteSize(minSize)}–${formatByteSize(maxSize)}`
        : minSize !== undefined
        ? `at least ${formatByteSize(minSize)}`
        : `at most ${formatByteSize(maxSize!)}`;
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
    const gates = [
      ...builtinGates(this.#validationFor(environment)),
      ...this.#moduleGates,
    ];
    if (gates.length === 0) return [];
    const candidate = await this.candidate(image, digest, environment);
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
    };
  }
}
