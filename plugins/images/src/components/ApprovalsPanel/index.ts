export { ApprovalsPanel, PendingPromotion } from './ApprovalsPanel';
