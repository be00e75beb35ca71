export { demoRepositories, commitOf } from './demoImages';
export { theShopDeployFiles } from './demoDeployments';
export type { DemoBuild, DemoRepository } from './demoImages';
export { seedDemoImages, seedAnchor } from './seed';
export type { SeedResult } from './seed';
export {
  pushImage,
  pushIndex,
  pushCosignSignature,
  tarArchive,
  pseudoRandomBytes,
} from './imageBuilder';
export type { ImageSpec, LayerSpec, PushedManifest } from './imageBuilder';
export { tarHeader } from './imageBuilder';
