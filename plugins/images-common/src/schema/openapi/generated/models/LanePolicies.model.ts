// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * The environment's release policies (`images.environments[].policies`) as its lane shows them, before anyone
 * plans a promotion; a plan checks them as gates.
 *
 * @public
 */
export type LanePolicies = {
  /** A freeze window open now (of several open, the one that closes last). */
  frozen?: {
    /** When it closes, an ISO date-time. */
    until: string;
    /** The window's IANA time zone, to say `until` in: `Europe/Paris`. */
    timeZone: string;
    /** Why: `Year-end freeze`. */
    reason?: string;
  };
  /**
   * A digest enters only once it ran in the environment before (`upstreamFirst`), for at least `soakSeconds`
   * (`soakTime`).
   */
  upstreamFirst?: {
    /**
     * Where it must run first: the one `upstream` names, else the one before in the entity's environments; absent
     * when there is none, so no digest can pass.
     */
    environment?: string;
    /** How long it must run there, in seconds. */
    soakSeconds?: number;
  };
  /** A promotion waits for this many approvals from distinct people, none of them the requester. */
  approvals?: {
    count: number;
    /** Only members of this group may approve: `group:default/release-managers`. */
    group?: string;
  };
};
