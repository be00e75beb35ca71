import {
  CacheService,
  LoggerService,
  UrlReaderService,
  UrlReaderServiceReadUrlResponse,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_SOURCE_LOCATION,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import { ANNOTATION_DEPLOYMENT_FILES } from '@berth/plugin-images-common';
import {
  DeploymentQuery,
  DeploymentSource,
  EnvironmentDeploymentReport,
} from '@berth/plugin-images-node';
import {
  DeploymentFileEntry,
  imagesInDeploymentFile,
  parseDeploymentFilesAnnotation,
  resolveDeploymentFileUrl,
} from './deploymentFiles';

/** Deployment files are small; anything larger is not one, and is not read into memory. */
export const MAX_DEPLOYMENT_FILE_BYTES = 1024 * 1024;
// The tab is viewed often and code hosts rate-limit: a file read in the last minute is not read again.
const FRESH_MS = 60_000;
// Kept beyond its freshness so that the next read asks with the ETag and a 304 keeps what was found.
const CACHE_TTL_MS = 15 * 60_000;

/** What one read of a file gave, as kept in the cache (JSON, hence types rather than interfaces). */
type FileResult = {
  readAt: number;
  etag?: string;
  images?: Array<{ reference: string; digest?: string }>;
  error?: string;
};

async function readBounded(
  response: UrlReaderServiceReadUrlResponse,
): Promise<Buffer> {
  const tooLarge = () =>
    new InputError(
      `the file is larger than ${
        MAX_DEPLOYMENT_FILE_BYTES / 1024 / 1024
      } MB, which no deployment file is`,
    );
  if (!response.stream) {
    const buffer = await response.buffer();
    if (buffer.length > MAX_DEPLOYMENT_FILE_BYTES) throw tooLarge();
    return buffer;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop destroys the stream, so a huge file stops being downloaded at the limit.
  for await (const chunk of response.stream()) {
    size += chunk.length;
    if (size > MAX_DEPLOYMENT_FILE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The file (GitOps) deployment source: for each environment, the image references declared by the file that the
 * entity's `berth.dev/deployment-files` annotation names (a docker-compose file, a kustomization, Helm values,
 * Kubernetes manifests), read with Backstage's URL reader and so only from hosts `backend.reading` allows.
 */
export class FileDeploymentSource implements DeploymentSource {
  readonly id = 'file';
  readonly #urlReader: UrlReaderService;
  readonly #cache: CacheService;
  readonly #logger: LoggerService;
  // Reads under way, so that lanes asking at once for the same file share one request.
  readonly #reading = new Map<string, Promise<FileResult>>();

  constructor(options: {
    urlReader: UrlReaderService;
    cache: CacheService;
    logger: LoggerService;
  }) {
    this.#urlReader = options.urlReader;
    this.#cache = options.cache;
    this.#logger = options.logger;
  }

  async getDeployments(
    query: DeploymentQuery,
  ): Promise<EnvironmentDeploymentReport[]> {
    const annotations = query.entity.metadata.annotations ?? {};
    const value = annotations[ANNOTATION_DEPLOYMENT_FILES];
    if (!value?.trim()) return [];
    const names = query.environments.map(e => e.name);
    const files = new Map<string, DeploymentFileEntry>();
    const unattributed: string[] = [];
    for (const entry of parseDeploymentFilesAnnotation(value, names)) {
      const environment = entry.environment;
      if (!environment) {
        unattributed.push(entry.problem!);
      } else if (!names.includes(environment)) {
        this.#logger.debug(
          `${ANNOTATION_DEPLOYMENT_FILES} of ${stringifyEntityRef(
            query.entity,
          )} names environment ${environment}, which the entity does not have; ignored`,
        );
      } else if (files.has(environment)) {
        // Neither file is read: which one deploys the environment is for the owner to say.
        files.set(environment, {
          environment,
          problem: `${ANNOTATION_DEPLOYMENT_FILES} names environment ${environment} more than once`,
        });
      } else {
        files.set(environment, entry);
      }
    }
    // An entry that names no environment was meant for one of those without a file: each of them shows why.
    if (unattributed.length) {
      for (const name of names.filter(n => !files.has(n))) {
        files.set(name, {
          environment: name,
          problem: unattributed.join('; '),
        });
      }
    }
    const sourceLocation = annotations[ANNOTATION_SOURCE_LOCATION];
    return Promise.all(
      names
        .filter(n => files.has(n))
        .map(n => this.#report(n, files.get(n)!, sourceLocation)),
    );
  }

  async #report(
    environment: string,
    entry: DeploymentFileEntry,
    sourceLocation: string | undefined,
  ): Promise<EnvironmentDeploymentReport> {
    const written = entry.location ?? ANNOTATION_DEPLOYMENT_FILES;
    if (entry.problem) return failed(environment, written, entry.problem);
    let url: string;
    try {
      url = resolveDeploymentFileUrl(written, sourceLocation);
    } catch (error) {
      return failed(environment, written, (error as Error).message);
    }
    const result = await this.#read(url);
    return {
      environment,
      location: url,
      images: result.images ?? [],
      ...(result.error && { error: result.error }),
    };
  }

  #read(url: string): Promise<FileResult> {
    let pending = this.#reading.get(url);
    if (!pending) {
      pending = this.#readCached(url).finally(() => this.#reading.delete(url));
      this.#reading.set(url, pending);
    }
    return pending;
  }

  async #readCached(url: string): Promise<FileResult> {
    const key = `deployment-file:${url}`;
    // A cache that fails (a Redis away) only costs a read.
    const cached = await this.#cache
      .get<FileResult>(key)
      .catch(() => undefined);
    if (cached && Date.now() - cached.readAt < FRESH_MS) return cached;

    let response: UrlReaderServiceReadUrlResponse;
    try {
      response = await this.#urlReader.readUrl(
        url,
        cached?.etag ? { etag: cached.etag } : undefined,
      );
    } catch (error) {
      if (cached && isError(error) && error.name === 'NotModifiedError') {
        return this.#keep(key, { ...cached, readAt: Date.now() });
      }
      const result = { readAt: Date.now(), error: this.#describe(url, error) };
      // A missing file stays missing for a while; other failures are asked again next time.
      return isError(error) && error.name === 'NotFoundError'
        ? this.#keep(key, result)
        : result;
    }

    const found: FileResult = {
      readAt: Date.now(),
      ...(response.etag && { etag: response.etag }),
    };
    try {
      const content = (await readBounded(response)).toString('utf8');
      found.images = imagesInDeploymentFile(content, fileName(url));
    } catch (error) {
      if (!(error instanceof InputError)) {
        return { readAt: Date.now(), error: this.#describe(url, error) };
      }
      found.error = error.message;
    }
    return this.#keep(key, found);
  }

  async #keep(key: string, result: FileResult): Promise<FileResult> {
    await this.#cache
      .set(key, result, { ttl: CACHE_TTL_MS })
      .catch(() => undefined);
    return result;
  }

  // In words safe to show on the lane: never the reader's message, which may carry internals.
  #describe(url: string, error: unknown): string {
    const host = new URL(url).host;
    const name = isError(error) ? error.name : '';
    const message = isError(error) ? error.message : String(error);
    if (
      name === 'NotAllowedError' ||
      message.includes('not allowed by backend.reading')
    ) {
      return `the host ${host} is not allowed in backend.reading: add it to backend.reading.allow or configure an integration for it`;
    }
    if (name === 'NotFoundError') {
      return `the file was not found on ${host} (404)`;
    }
    this.#logger.warn(`Could not read deployment file ${url}: ${message}`);
    const status = /, ([45]\d\d)\b/.exec(message)?.[1];
    return status
      ? `${host} answered HTTP ${status}`
      : `it could not be read from ${host}`;
  }
}

// The file's name, as a message names it (the report's location gives the whole URL).
function fileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function failed(
  environment: string,
  location: string,
  error: string,
): EnvironmentDeploymentReport {
  return { environment, location, images: [], error };
}
