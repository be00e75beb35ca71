import { Config } from '@backstage/config';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  formatImageReference,
  ImageClaimInfo,
  ImageReference,
} from '@berth/plugin-images-common';
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateStore } from '../database/migrateStore';

/** `images.repositoryOwners[]`: the groups whose entities may claim repositories matching a pattern. */
interface OwnerBinding {
  pattern: string;
  matcher: RegExp;
  owners: string[];
}

interface ClaimRow {
  repository: string;
  entity_ref: string;
  owners: string;
}

/** What an entity may do with one of the repositories it names. */
export type ClaimDecision =
  | { allowed: true; binding?: string }
  | { allowed: false; message: string };

/** The owners of an entity, as entity references: its ownedBy relations, else `spec.owner`. */
export function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(relation => relation.type === RELATION_OWNED_BY)
    .map(relation => relation.targetRef);
  if (related.length > 0) return related;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

function readBindings(config: Config): OwnerBinding[] {
  return (config.getOptionalConfigArray('images.repositoryOwners') ?? []).map(
    binding => {
      const pattern = binding.getString('pattern').trim();
      const owners = binding.getStringArray('owners').map(owner => {
        try {
          return stringifyEntityRef(
            parseEntityRef(owner, { defaultKind: 'group' }),
          );
        } catch (error) {
          throw new InputError(
            `images.repositoryOwners: "${owner}" (for ${pattern}) is not an entity reference: ${
              (error as Error).message
            }`,
          );
        }
      });
      const escaped = pattern
        .split('*')
        .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      return { pattern, matcher: new RegExp(`^${escaped}$`), owners };
    },
  );
}

/**
 * Who may claim a repository. Where the configuration binds a repository pattern to groups, only entities they own
 * may name it; elsewhere the first entity to name a repository keeps it, and a repository named by several entities
 * is contested: promotions from the others wait for an approval by the first one's owners. Claims are kept in the
 * database, so every replica agrees on who came first.
 */
export class RepositoryClaims {
  readonly #db: Knex;
  readonly #bindings: OwnerBinding[];
  /** Claims this process has recorded already, so a page view writes nothing. */
  readonly #recorded = new Set<string>();
  /** Claims as last read, per repository, for page views. */
  readonly #read = new Map<string, { at: number; rows: ClaimRow[] }>();

  /** Reads `images.repositoryOwners` and opens the claims' table, bringing it up to date. */
  static async create(options: {
    config: Config;
    database: DatabaseService;
  }): Promise<RepositoryClaims> {
    return new RepositoryClaims(
      await migrateStore(options.database, 'repository-claims'),
      readBindings(options.config),
    );
  }

  constructor(db: Knex, bindings: OwnerBinding[] = []) {
    this.#db = db;
    this.#bindings = bindings;
  }

  /** The binding that decides for a repository: the most specific (longest) matching pattern. */
  #bindingOf(repository: string): OwnerBinding | undefined {
    return this.#bindings
      .filter(binding => binding.matcher.test(repository))
      .sort((a, b) => b.pattern.length - a.pattern.length)[0];
  }

  /** Whether the entity may name the image, by the configured bindings alone (no database read). */
  decide(entity: Entity, image: ImageReference): ClaimDecision {
    const repository = formatImageReference(image);
    const binding = this.#bindingOf(repository);
    if (!binding) return { allowed: true };
    const owners = ownersOf(entity);
    if (owners.some(owner => binding.owners.includes(owner))) {
      return { allowed: true, binding: binding.pattern };
    }
    return {
      allowed: false,
      message: `${repository} belongs to ${binding.owners.join(
        ', ',
      )} (images.repositoryOwners: ${binding.pattern}); ${stringifyEntityRef(
        entity,
      )} is owned by ${
        owners.join(', ') || 'no one'
      }, so it may not show or promote this image. Ask the platform team to add its owner to that entry, or remove the image from berth.dev/images`,
    };
  }

  /**
   * Records that the entity names these repositories (once per process) and returns, for those not bound by
   * configuration, who claims them: contested ones with the first claimant. `maxAgeMs` lets a page view reuse what
   * this process read that recently; a promotion reads afresh.
   */
  async claims(
    entity: Entity,
    images: ImageReference[],
    options: { maxAgeMs?: number } = {},
  ): Promise<Map<string, ImageClaimInfo>> {
    const entityRef = stringifyEntityRef(entity);
    const open = images
      .map(formatImageReference)
      .filter(repository => !this.#bindingOf(repository));
    if (open.length === 0) return new Map();
    const missing = open.filter(
      repository => !this.#recorded.has(`${repository} ${entityRef}`),
    );
    if (missing.length > 0) {
      await this.#db('images_repository_claims')
        .insert(
          missing.map(repository => ({
            repository,
            entity_ref: entityRef,
            owners: JSON.stringify(ownersOf(entity)),
            claimed_at: new Date(),
          })),
        )
        .onConflict(['repository', 'entity_ref'])
        .ignore();
      missing.forEach(r => {
        this.#recorded.add(`${r} ${entityRef}`);
        this.#read.delete(r);
      });
    }
    const rows = await this.#rowsOf(open, options.maxAgeMs ?? 0);
    const result = new Map<string, ImageClaimInfo>();
    for (const repository of open) {
      const claimants = rows.filter(row => row.repository === repository);
      if (claimants.length < 2) continue;
      result.set(repository, {
        contested: true,
        claimants: claimants.map(row => row.entity_ref),
        firstClaimant: claimants[0].entity_ref,
        firstClaimantOwners: JSON.parse(claimants[0].owners || '[]'),
      });
    }
    return result;
  }

  async #rowsOf(repositories: string[], maxAgeMs: number) {
    const now = Date.now();
    const fresh = repositories.every(
      r => now - (this.#read.get(r)?.at ?? -Infinity) <= maxAgeMs,
    );
    if (!fresh) {
      const rows = await this.#db('images_repository_claims')
        .whereIn('repository', repositories)
        .orderBy([
          { column: 'claimed_at', order: 'asc' },
          { column: 'entity_ref', order: 'asc' },
        ]);
      for (const repository of repositories) {
        this.#read.set(repository, {
          at: now,
          rows: rows.filter(row => row.repository === repository),
        });
      }
    }
    return repositories.flatMap(r => this.#read.get(r)!.rows);
  }

  /**
   * Replaces every claim with what the catalog says now (the scheduled refresh reads all onboarded entities):
   * claims of entities that are gone or no longer name a repository are dropped; others keep their date.
   */
  async replaceAll(
    current: Array<{ entity: Entity; images: ImageReference[] }>,
  ): Promise<void> {
    const wanted = new Map<string, { repository: string; entity: Entity }>();
    for (const { entity, images } of current) {
      for (const image of images) {
        const repository = formatImageReference(image);
        if (this.#bindingOf(repository)) continue;
        wanted.set(`${repository} ${stringifyEntityRef(entity)}`, {
          repository,
          entity,
        });
      }
    }
    await this.#db.transaction(async tx => {
      const rows = await tx('images_repository_claims').select(
        'repository',
        'entity_ref',
      );
      for (const row of rows) {
        const key = `${row.repository} ${row.entity_ref}`;
        if (!wanted.has(key)) {
          await tx('images_repository_claims')
            .where({ repository: row.repository, entity_ref: row.entity_ref })
            .delete();
        }
      }
      for (const { repository, entity } of wanted.values()) {
        const owners = JSON.stringify(ownersOf(entity));
        await tx('images_repository_claims')
          .insert({
            repository,
            entity_ref: stringifyEntityRef(entity),
            owners,
            claimed_at: new Date(),
          })
          .onConflict(['repository', 'entity_ref'])
          .merge(['owners']);
      }
    });
    this.#recorded.clear();
    this.#read.clear();
  }
}

/** Service ref for repository claims: one per plugin, so that what it recorded and read is shared by every reader. */
export const repositoryClaimsServiceRef = createServiceRef<RepositoryClaims>({
  id: 'images.repository-claims',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
      },
      factory: ({ config, database }) =>
        RepositoryClaims.create({ config, database }),
    }),
});
