export { ApprovalInbox } from './ApprovalInbox';
export { ImagesSidebarItem } from './ImagesSidebarItem';
