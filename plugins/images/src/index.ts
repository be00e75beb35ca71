/**
 * Berth's Images tab, overview card and promotion UI for Backstage.
 *
 * @packageDocumentation
 */

export { imagesPlugin, EntityImagesContent } from './plugin';
export { isImagesAvailable } from './conditions';
