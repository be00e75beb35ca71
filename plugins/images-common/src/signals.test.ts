import { imageSignalChannel } from './signals';

describe('imageSignalChannel', () => {
  it('names the image, so that a tab subscribes to what it shows and nothing else', () => {
    expect(imageSignalChannel('ghcr.io/acme/shop')).toBe(
      'images:ghcr.io/acme/shop',
    );
    expect(imageSignalChannel('ghcr.io/acme/shop')).not.toBe(
      imageSignalChannel('ghcr.io/acme/shop-web'),
    );
  });
});
