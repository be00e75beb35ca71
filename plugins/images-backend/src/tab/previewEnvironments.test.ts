import { buildSnapshot } from '../tagIndex/IndexSnapshot';
import { previewEnvironments, previewMatcher } from './previewEnvironments';

describe('preview environments', () => {
  const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
  const now = Date.parse('2026-12-02T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now - h * 3_600_000);

  it('picks the tags matching a pattern, newest first, leaving out old ones and unresolved ones', () => {
    const snapshot = buildSnapshot(
      [
        { tag: 'pr-412', digest: digest(1), pushedAt: hoursAgo(2) },
        { tag: 'pr-399', digest: digest(2), pushedAt: hoursAgo(24 * 40) },
        { tag: 'feature-search', digest: digest(3) },
        { tag: 'pr-413', digest: undefined },
        { tag: 'latest', digest: digest(1), pushedAt: hoursAgo(1) },
        { tag: 'prod-pr-1', digest: digest(4), pushedAt: hoursAgo(1) },
      ],
      new Map([
        [
          digest(3),
          {
            digest: digest(3),
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            created: hoursAgo(5).toISOString(),
          } as any,
        ],
      ]),
      { truncated: false, fingerprint: 'f' },
    );
    const matches = previewMatcher(['feature-*', 'pr-*']);
    expect(
      previewEnvironments(snapshot, matches, 30 * 86_400_000, now),
    ).toEqual([
      {
        tag: 'pr-412',
        digest: digest(1),
        pushedAt: hoursAgo(2).toISOString(),
      },
      {
        tag: 'feature-search',
        digest: digest(3),
        created: hoursAgo(5).toISOString(),
      },
    ]);
  });

  it('refuses a pattern no tag could match', () => {
    expect(() => previewMatcher(['feature/*'])).toThrow(
      'images.previews.tags: "feature/*" is no tag pattern: write tag characters and * (feature-*, pr-*)',
    );
    expect(previewMatcher(['v1.*'])('v1.2')).toBe(true);
    expect(previewMatcher(['v1.*'])('v1x2')).toBe(false);
  });
});
