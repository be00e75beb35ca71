export { ApprovalInbox } from './ApprovalInbox';
export { ImagesNavIcon } from './ImagesNavIcon';
export { ImagesSidebarItem } from './ImagesSidebarItem';
