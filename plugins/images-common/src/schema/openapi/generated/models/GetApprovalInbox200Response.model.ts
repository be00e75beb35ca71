// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { InboxItem } from './InboxItem.model';

/**
 * The inbox, oldest first.
 *
 * @public
 */
export type GetApprovalInbox200Response = {
  items: InboxItem[];
};
