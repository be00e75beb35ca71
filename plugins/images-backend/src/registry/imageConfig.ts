import { getBlob } from './distribution/blobs';
import { RegistryApi } from './distribution/RegistryApi';
import { RegistryError } from './errors';
import { isObject, stringMap } from './manifestShape';
import { ImageManifest } from './mediaTypes';

/**
 * What an image's config says, in the terms the Images tab shows.
 *
 * @public
 */
export interface ImageConfigSummary {
  /** When the image was built: an RFC 3339 date, or absent when the config gives none that makes sense. */
  created?: string;
  os?: string;
  architecture?: string;
  variant?: string;
  labels: Record<string, string>;
  cmd?: string[];
  entrypoint?: string[];
  user?: string;
  /** The health check command (`["CMD", ...]`), when the image has one. */
  healthcheck?: string[];
  exposedPorts: string[];
  layerCount: number;
  /** Compressed size of the config and layers, as pulled. */
  totalSize: number;
}

// RFC 3339 as Go writes it (every builder is written in Go or copies its format).
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/**
 * A config's `created` when it is a real date: an RFC 3339 string of a calendar day, after 1970 (Go's zero time,
 * `0001-01-01`, means "unknown") and not more than a year ahead. Anything else (a number, an object, "yesterday",
 * the year 9999) is no date at all.
 */
export function createdDate(
  value: unknown,
  now = Date.now(),
): string | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time) || year < 1970 || time > now + 366 * DAY_MS)
    return undefined;
  return value;
}

/** `linux`, `arm64`, `v8`: a platform word, or nothing. */
export function platformWord(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._+-]{1,64}$/.test(value)
    ? value
    : undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) &&
    value.length <= 1000 &&
    value.every(item => typeof item === 'string')
    ? (value as string[])
    : undefined;
}

/**
 * Summarises an image config as a registry sent it, reading each field only when it has the shape the image spec
 * gives it. Undefined when the config is no JSON object at all.
 */
export function summarizeConfig(
  config: unknown,
  manifest: ImageManifest,
): ImageConfigSummary | undefined {
  if (!isObject(config)) return undefined;
  const run = isObject(config.config) ? config.config : {};
  const healthcheck = isObject(run.Healthcheck)
    ? stringList(run.Healthcheck.Test)
    : undefined;
  const user = typeof run.User === 'string' ? run.User.slice(0, 256) : '';
  return {
    created: createdDate(config.created),
    os: platformWord(config.os),
    architecture: platformWord(config.architecture),
    variant: platformWord(config.variant),
    labels: stringMap(run.Labels),
    cmd: stringList(run.Cmd),
    entrypoint: stringList(run.Entrypoint),
    user: user || undefined,
    healthcheck:
      healthcheck?.length && healthcheck[0] !== 'NONE'
        ? healthcheck
        : undefined,
    exposedPorts: isObject(run.ExposedPorts)
      ? Object.keys(run.ExposedPorts).slice(0, 256)
      : [],
    layerCount: manifest.layers.length,
    totalSize:
      manifest.config.size +
      manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
  };
}

/**
 * Reads and summarises an image's config: created, labels, platform, command, user, health check, size. Fields of
 * the wrong shape are left out; a config that is no JSON object is an `invalid-manifest` error naming it.
 */
export async function readImageConfig(
  api: RegistryApi,
  repository: string,
  manifest: ImageManifest,
): Promise<ImageConfigSummary> {
  const digest = manifest.config.digest;
  const bytes = await getBlob(api, repository, digest, MAX_CONFIG_BYTES);
  let config: unknown;
  try {
    config = JSON.parse(bytes.toString('utf8'));
  } catch {
    config = undefined;
  }
  const summary = summarizeConfig(config, manifest);
  if (!summary) {
    const host = api.transport.host;
    throw new RegistryError(
      'invalid-manifest',
      host,
      `the image config ${repository}@${digest} on ${host} is ${
        config === undefined ? 'not JSON' : 'not a JSON object'
      }`,
      { malformedDigest: digest },
    );
  }
  return summary;
}
