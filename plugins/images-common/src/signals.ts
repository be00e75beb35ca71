/**
 * The Backstage signals channel on which the images backend says that an image's tags changed (a registry's event,
 * a promotion): Images tabs showing the image subscribe to it and read again. The message names nothing more.
 *
 * @public
 */
export function imageSignalChannel(image: string): string {
  return `images:${image}`;
}

/**
 * What a signal on {@link imageSignalChannel} carries.
 *
 * @public
 */
export type ImageSignal = { changed: 'tags' };
