export { laneStatusLabel, StatusChip, STATUS_LABELS } from './StatusChip';
