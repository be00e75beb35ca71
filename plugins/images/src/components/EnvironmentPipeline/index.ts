export { EnvironmentPipeline } from './EnvironmentPipeline';
export { EnvironmentLaneCard } from './EnvironmentLaneCard';
export { DriftIndicator, driftText } from './DriftIndicator';
export type { LaneActionHandlers } from './LaneActions';
