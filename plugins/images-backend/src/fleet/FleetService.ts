import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FleetPage, imagesReadPermission } from '@berth/plugin-images-common';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import { allowedEach } from '../entities/batchDecisions';
import {
  OnboardedEntities,
  onboardedEntitiesServiceRef,
} from '../entities/OnboardedEntities';
import { environmentStaysServiceRef } from '../stays/EnvironmentStays';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { compareRows, FleetQuery, matches } from './fleetQuery';
import { BuiltFleet, FleetRows } from './FleetRows';
import { FleetSnapshot } from './FleetSnapshot';

/**
 * The fleet: every onboarded entity and image the caller may read, against the environments, from the index and
 * the stays Berth recorded (no registry request), filtered, searched and sorted as the Images page asks. A caller
 * the policy lets see and read every entity gets the fleet built for all viewers; anyone else, one built for them.
 */
export class FleetService {
  readonly #onboarded: OnboardedEntities;
  readonly #rows: FleetRows;
  readonly #snapshot: FleetSnapshot;
  readonly #permissions: PermissionsService;
  readonly #userInfo: UserInfoService;
  readonly #pipeline: string[];

  constructor(options: {
    onboarded: OnboardedEntities;
    rows: FleetRows;
    snapshot: FleetSnapshot;
    permissions: PermissionsService;
    userInfo: UserInfoService;
    /** The configured environments' names, in pipeline order: the columns come in this order. */
    pipeline?: string[];
  }) {
    this.#onboarded = options.onboarded;
    this.#rows = options.rows;
    this.#snapshot = options.snapshot;
    this.#permissions = options.permissions;
    this.#userInfo = options.userInfo;
    this.#pipeline = options.pipeline ?? [];
  }

  async fleet(
    credentials: BackstageCredentials,
    query: FleetQuery = {},
  ): Promise<FleetPage> {
    const [fleet, mine] = await Promise.all([
      this.#readable(credentials),
      query.mine
        ? this.#userInfo
            .getUserInfo(credentials)
            .then(info => new Set(info.ownershipEntityRefs))
        : undefined,
    ]);
    const shown = fleet.rows.filter(row => matches(row, query, mine));
    shown.sort(compareRows(query));
    const page = query.page ?? 0;
    const pageSize = query.pageSize ?? 100;
    // The configured pipeline's order first; environments only entities name, after them as first seen.
    const rank = (name: string) => {
      const at = this.#pipeline.indexOf(name);
      return at < 0
        ? this.#pipeline.length + fleet.environments.indexOf(name)
        : at;
    };
    return {
      environments: [...fleet.environments].sort((a, b) => rank(a) - rank(b)),
      rows: shown.slice(page * pageSize, (page + 1) * pageSize),
      totalRows: shown.length,
      page,
      pageSize,
    };
  }

  /**
   * The rows the caller may read. The policy decides without seeing entities: when it lets the caller see every
   * entity, the shared fleet serves (filtered entity by entity only when reading images is conditional); otherwise
   * the catalog, asked with the caller's credentials, says which entities they see.
   */
  async #readable(credentials: BackstageCredentials): Promise<BuiltFleet> {
    const [see, read] = await this.#permissions.authorizeConditional(
      [
        { permission: catalogEntityReadPermission },
        { permission: imagesReadPermission },
      ],
      { credentials },
    );
    if (see.result !== AuthorizeResult.ALLOW)
      return this.#rows.build(await this.#onboarded.readable(credentials));
    if (read.result === AuthorizeResult.DENY)
      return { rows: [], environments: [] };
    const fleet = await this.#snapshot.get();
    if (read.result === AuthorizeResult.ALLOW) return fleet;
    const refs = [...new Set(fleet.rows.map(row => row.entityRef))];
    const allowed = await allowedEach(
      this.#permissions,
      refs,
      credentials,
      imagesReadPermission,
    );
    const readable = new Set(refs.filter((_ref, i) => allowed[i]));
    return {
      rows: fleet.rows.filter(row => readable.has(row.entityRef)),
      environments: fleet.environments,
    };
  }
}

/** Service ref for the fleet. */
export const fleetServiceRef = createServiceRef<FleetService>({
  id: 'images.fleet',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        onboarded: onboardedEntitiesServiceRef,
        index: tagIndexServiceRef,
        stays: environmentStaysServiceRef,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        logger: coreServices.logger,
        images: imagesConfigServiceRef,
      },
      async factory({ images, index, stays, ...deps }) {
        const rows = new FleetRows({ index, stays });
        return new FleetService({
          ...deps,
          rows,
          snapshot: new FleetSnapshot({ ...deps, rows, stays }),
          pipeline: images.environments.map(env => env.name),
        });
      },
    }),
});
