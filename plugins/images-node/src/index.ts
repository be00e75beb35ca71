/**
 * Node.js extension points and helpers for modules of the Berth images backend.
 *
 * @packageDocumentation
 */

export { imagesGatesExtensionPoint } from './gates';
export type {
  GateResult,
  ImagesGatesExtensionPoint,
  PromotionCandidate,
  PromotionGate,
} from './gates';
export { formatByteSize, parseByteSize } from './byteSize';
