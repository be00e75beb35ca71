// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * A repository named by more than one entity's `berth.dev/images`, with no `images.repositoryOwners` entry to
 * decide: the entity that named it first keeps it, and promotions from the others wait for its owners'
 * approval.
 *
 * @public
 */
export type ImageClaimInfo = {
  contested: true;
  /** Every entity naming the repository, first first. */
  claimants: string[];
  firstClaimant: string;
  /** Owners of the first claimant: who approves promotions asked from the other entities. */
  firstClaimantOwners: string[];
};
