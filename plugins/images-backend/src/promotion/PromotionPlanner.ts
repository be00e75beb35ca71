import { ConflictError, InputError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  GateResultInfo,
  ImageReference,
  isValidDigest,
  isValidTag,
  PromotionPlanInfo,
} from '@berth/plugin-images-common';
import { RegistryHosts } from '../registry/RegistryHosts';
import { pullScope, pushScope } from '../registry/scopes';
import { GateRunner } from './gates';
import type { ReleasePolicyGates } from './releasePolicies';
import { checkTagsToWrite } from './tagClaims';

/** What to promote where. */
export interface PromotionRequest {
  entityRef: string;
  image: ImageReference;
  environment: EnvironmentDefinition;
  /** A tag or a digest of the image, as asked for. */
  source: string;
  /** The digest the source resolved to when it was checked: the promotion moves this digest, even if the tag moved. */
  sourceDigest?: string;
  reason: string;
  requestedBy: string;
  /** The digest the caller saw in the environment: if it moved since, the promotion fails with a conflict. */
  expectedCurrentDigest?: string;
  /** Tag templates written too, such as `main-{sourceTag}`. */
  extraTags?: string[];
  kind?: 'promotion' | 'rollback';
  forced?: boolean;
  /** The gates' verdicts, kept in the audit trail. */
  gates?: GateResultInfo[];
  /**
   * Every environment whose tags the promotion must not write: the entity's and the configured ones. Only the
   * environment promoted to is checked when omitted.
   */
  environments?: EnvironmentDefinition[];
}

/** What a promotion will do (a dry run) or did: the API's plan. */
export type PromotionPlan = PromotionPlanInfo;

/**
 * `rollback-20261122-143005-production-checkout-5xx`: when, where from and why in a few words, within a tag's 128
 * characters. The environment keeps two environments' rollback tags of the same second apart.
 */
export function rollbackTagName(
  createdAt: Date,
  environment: string,
  reason: string,
): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .slice(0, 15);
  const slug = `${environment} ${reason}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug ? `rollback-${stamp}-${slug}` : `rollback-${stamp}`;
}

function expandTemplate(
  template: string,
  sourceTag: string | undefined,
  digest: string,
): string {
  return template
    .replace(/\{sourceTag\}/g, sourceTag ?? digest.slice(7, 19))
    .replace(/\{shortDigest\}/g, digest.slice(7, 19));
}

function needsDigest(template: string, sourceTag: string | undefined) {
  return (
    template.includes('{shortDigest}') ||
    (!sourceTag && template.includes('{sourceTag}'))
  );
}

/**
 * What a promotion will do, asked of the registries with no write anywhere: the source resolved to a digest, the
 * environment's current digest (a stale request is refused here), the tags it will write (refused when they are
 * not the environment's to write), its rollback tag, and the gates' verdicts. Run for a dry run, and again under the
 * lock before anything is written.
 */
export class PromotionPlanner {
  readonly #registries: RegistryHosts;
  readonly #gates?: GateRunner;
  readonly #policies?: ReleasePolicyGates;

  constructor(options: {
    registries: RegistryHosts;
    gates?: GateRunner;
    policies?: ReleasePolicyGates;
  }) {
    this.#registries = options.registries;
    this.#gates = options.gates;
    this.#policies = options.policies;
  }

  /** What the promotion would do, gates included, with no write anywhere. */
  async plan(
    request: PromotionRequest,
    options: { createdAt?: Date; gates?: boolean } = {},
  ): Promise<PromotionPlan> {
    return (await this.resolve(request, options)).plan;
  }

  /**
   * The plan, and what each tag known to point somewhere points at now. With `forWrite` (under the lock, before the
   * writes), the clients hold the write scopes from the start (one token), and the tags known before the source is
   * resolved are asked in the same batch as the source and the environment, so no further round trip asks them.
   */
  async resolve(
    request: PromotionRequest,
    options: { createdAt?: Date; gates?: boolean; forWrite?: boolean } = {},
  ): Promise<{ plan: PromotionPlan; tagDigests: Map<string, string> }> {
    const createdAt = options.createdAt ?? new Date();
    const { environment } = request;
    const { from, to } = this.repositories(request, options);
    const name = formatImageReference(request.image);
    if (!isValidTag(request.source) && !isValidDigest(request.source)) {
      throw new InputError(
        `"${request.source}" is neither a tag nor a digest of ${name}`,
      );
    }
    const pinned =
      request.sourceDigest ??
      (isValidDigest(request.source) ? request.source : undefined);
    const early = options.forWrite
      ? this.#tags(request, pinned).filter(
          tag => tag !== environment.tag && isValidTag(tag),
        )
      : [];
    const [sourceDigest, currentDigest, ...earlyDigests] = await Promise.all([
      from.client.resolveDigest(from.repository, pinned ?? request.source),
      to.client.resolveDigest(to.repository, environment.tag),
      ...early.map(tag => to.client.resolveDigest(to.repository, tag)),
    ]);
    if (!sourceDigest) {
      throw new InputError(
        `${name} has no ${request.source}: nothing to promote`,
      );
    }
    if (
      request.expectedCurrentDigest !== undefined &&
      request.expectedCurrentDigest !== (currentDigest ?? '')
    ) {
      throw new ConflictError(
        `${environment.name} of ${name} moved to ${
          currentDigest ?? 'nothing'
        } since ${
          request.expectedCurrentDigest || 'an empty environment'
        } was seen: look again and retry`,
      );
    }
    const tags = this.#tags(request, sourceDigest);
    for (const tag of tags) {
      if (!isValidTag(tag)) {
        throw new InputError(
          `"${tag}" is not a valid tag (from the extra tags of ${environment.name})`,
        );
      }
    }
    checkTagsToWrite({
      image: request.image,
      environment,
      tags,
      environments: request.environments ?? [environment],
    });
    const resolved = new Map<string, string | undefined>([
      [environment.tag, currentDigest],
      ...early.map((tag, i) => [tag, earlyDigests[i]] as const),
    ]);
    const moves = currentDigest !== sourceDigest;
    // The environment already runs the image: only tags not on it yet (an alsoTag, an extra tag) would change.
    if (!moves) {
      const others = tags.filter(tag => !resolved.has(tag));
      const digests = await Promise.all(
        others.map(tag => to.client.resolveDigest(to.repository, tag)),
      );
      others.forEach((tag, i) => resolved.set(tag, digests[i]));
    }
    const unchanged =
      !moves && tags.every(tag => resolved.get(tag) === sourceDigest);
    const [validation, policies] =
      options.gates === false
        ? [[], []]
        : await Promise.all([
            this.#gates?.evaluate(from.image, sourceDigest, environment.name) ??
              [],
            this.#policies?.evaluate(request, sourceDigest) ?? [],
          ]);
    const gates = [...validation, ...policies];
    const tagDigests = new Map<string, string>();
    for (const [tag, digest] of resolved) {
      if (digest) tagDigests.set(tag, digest);
    }
    const approvals = environment.policies?.approvals;
    const plan: PromotionPlan = {
      image: name,
      environment: environment.name,
      sourceDigest,
      currentDigest,
      rollbackTag:
        moves && currentDigest
          ? rollbackTagName(createdAt, environment.name, request.reason)
          : undefined,
      tags,
      noChange: unchanged,
      gates,
      // Nothing to approve when nothing changes.
      needsApproval:
        (Boolean(environment.protected) || Boolean(approvals)) && !unchanged,
      ...(approvals &&
        !unchanged &&
        approvals.count > 1 && { approvalsNeeded: approvals.count }),
      ...(approvals?.group && !unchanged && { approvalGroup: approvals.group }),
    };
    return { plan, tagDigests };
  }

  /**
   * The tags a promotion of `digest` writes: the environment's, its alsoTags, the extra tags expanded. Without the
   * digest, those known before the source is resolved.
   */
  #tags(request: PromotionRequest, digest: string | undefined): string[] {
    const { environment } = request;
    const sourceTag = isValidTag(request.source) ? request.source : undefined;
    const extra = (request.extraTags ?? []).filter(
      t => digest || !needsDigest(t, sourceTag),
    );
    return [
      ...new Set([
        environment.tag,
        ...(environment.alsoTag ?? []),
        ...extra.map(t => expandTemplate(t, sourceTag, digest ?? '')),
      ]),
    ];
  }

  /**
   * Where the image comes from and where the environment's tags are written: the environment's repository (another
   * repository or registry when configured so) is the target; a rollback's source is there too, among the
   * environment's rollback tags.
   */
  repositories(
    request: PromotionRequest,
    options: { forWrite?: boolean } = {},
  ) {
    const target = environmentImage(request.image, request.environment);
    const source = request.kind === 'rollback' ? target : request.image;
    // For the writes, one token per registry from the start: push to the target, pull from the source.
    const sameRegistry = source.registry === target.registry;
    const scopes = (side: 'from' | 'to') => {
      if (sameRegistry) {
        return [pushScope(target.repository), pullScope(source.repository)];
      }
      return side === 'to'
        ? [pushScope(target.repository)]
        : [pullScope(source.repository)];
    };
    const at = (image: ImageReference, side: 'from' | 'to') => {
      const client = this.#registries.clientFor(image.registry);
      return {
        image,
        client: options.forWrite ? client.withScopes(scopes(side)) : client,
        repository: image.repository,
      };
    };
    return { from: at(source, 'from'), to: at(target, 'to') };
  }
}
