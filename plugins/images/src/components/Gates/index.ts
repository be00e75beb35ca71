export { GatesList } from './GatesList';
export { GatesSummary } from './GatesSummary';
