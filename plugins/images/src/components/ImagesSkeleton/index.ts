export { ImagesSkeleton, LanesSkeleton, TableSkeleton } from './ImagesSkeleton';
