import { isValidTag } from '@berth/plugin-images-common';
import { TagEvent } from './distributionEvents';

/**
 * The payload formats Berth reads: the CNCF Distribution registry's notifications, and the webhooks of GitHub
 * packages (ghcr.io), Quay, Docker Hub and Harbor.
 *
 * @public
 */
export type EventFormat =
  | 'distribution'
  | 'github'
  | 'quay'
  | 'dockerhub'
  | 'harbor';

/** Every {@link EventFormat}, for checking the configuration. */
export const EVENT_FORMATS: readonly EventFormat[] = [
  'distribution',
  'github',
  'quay',
  'dockerhub',
  'harbor',
];

const REPOSITORY =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

type Json = Record<string, unknown> | undefined;
const object = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Keeps the well-formed (repository, tag) pairs; anything else is counted as ignored. */
function checked(pairs: Array<{ repository?: string; tag?: string }>) {
  const tags: TagEvent[] = [];
  let ignored = 0;
  for (const { repository, tag } of pairs) {
    if (
      repository &&
      REPOSITORY.test(repository) &&
      tag !== undefined &&
      isValidTag(tag)
    ) {
      tags.push({ repository, tag });
    } else {
      ignored++;
    }
  }
  return { tags, ignored };
}

/**
 * GitHub's `package` and `registry_package` events (published, updated) for container packages: the repository is
 * `<namespace>/<name>` on ghcr.io, the tag in the version's container metadata.
 */
function githubPairs(body: Json) {
  const action = text(body?.action);
  const pkg = object(body?.package) ?? object(body?.registry_package);
  if (!pkg || (action !== 'published' && action !== 'updated')) return [];
  const type = (text(pkg.package_type) ?? text(pkg.ecosystem))?.toLowerCase();
  if (type && type !== 'container' && type !== 'docker') return [];
  const namespace =
    text(pkg.namespace) ?? text(object(pkg.owner)?.login) ?? undefined;
  const name = text(pkg.name);
  const version = object(pkg.package_version);
  const containerTag = text(
    object(object(version?.container_metadata)?.tag)?.name,
  );
  const repository =
    namespace && name ? `${namespace}/${name}`.toLowerCase() : undefined;
  return [{ repository, tag: containerTag }];
}

/** Quay's "Push to Repository" notification: the repository and every tag the push updated. */
function quayPairs(body: Json) {
  const repository = text(body?.repository);
  const tags = body?.updated_tags;
  if (!Array.isArray(tags)) return [{ repository }];
  return tags.map(tag => ({ repository, tag: text(tag) }));
}

/** Docker Hub's push webhook: `repository.repo_name` (`library/nginx` for official images) and `push_data.tag`. */
function dockerHubPairs(body: Json) {
  const repoName = text(object(body?.repository)?.repo_name);
  const repository =
    repoName && !repoName.includes('/') ? `library/${repoName}` : repoName;
  return [{ repository, tag: text(object(body?.push_data)?.tag) }];
}

/** Harbor's PUSH_ARTIFACT and DELETE_ARTIFACT events: the repository's full name and each resource's tag. */
function harborPairs(body: Json) {
  const type = text(body?.type);
  if (type !== 'PUSH_ARTIFACT' && type !== 'DELETE_ARTIFACT') return [];
  const data = object(body?.event_data);
  const repository = text(object(data?.repository)?.repo_full_name);
  const resources = data?.resources;
  if (!Array.isArray(resources)) return [{ repository }];
  return resources.map(resource => ({
    repository,
    tag: text(object(resource)?.tag),
  }));
}

/**
 * The tags a vendor's webhook payload names. Events of other kinds (a GitHub release, a Harbor scan) name none and
 * count as nothing; malformed repositories or tags count as ignored.
 */
export function webhookTagEvents(
  format: Exclude<EventFormat, 'distribution'>,
  payload: unknown,
): { tags: TagEvent[]; ignored: number } {
  const body = object(payload);
  switch (format) {
    case 'github':
      return checked(githubPairs(body));
    case 'quay':
      return checked(quayPairs(body));
    case 'dockerhub':
      return checked(dockerHubPairs(body));
    case 'harbor':
      return checked(harborPairs(body));
    default:
      return { tags: [], ignored: 0 };
  }
}
