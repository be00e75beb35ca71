export { PromoteDialog } from './PromoteDialog';
export { RollbackDialog } from './RollbackDialog';
