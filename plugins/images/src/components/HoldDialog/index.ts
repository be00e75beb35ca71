export { HoldDialog } from './HoldDialog';
