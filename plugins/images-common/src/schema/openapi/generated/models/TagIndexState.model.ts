// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * How complete the repository's tag index is.
 *
 * @public
 */
export type TagIndexState = {
  /** Tags the registry listed. */
  totalTags: number;
  /** Tags whose digest is known. */
  resolvedTags: number;
  /** True when every tag is resolved and every digest described. */
  complete: boolean;
  /** When the tags were last listed (ISO). */
  listedAt?: string;
  /** The registry has more tags than Berth indexes. */
  truncated: boolean;
  /** The first listing of the repository is still going: more tags will appear. */
  listing?: boolean;
  /**
   * For newest first: `complete` when every row has a date; `partial` while some rows wait to be described (a
   * plain Distribution registry lists names only): those follow the dated rows, and the rows on the page asked
   * for are described first.
   */
  order?: 'complete' | 'partial';
  /**
   * Why indexing waits, in words to show: the registry's rate limit leaves only what Berth keeps for page views
   * and promotions, and until when.
   */
  heldBack?: string;
};
