import { ResponseError } from '@backstage/errors';
import {
  errorMessage,
  formatBytes,
  formatRelativeTime,
  shortDigest,
  shortRevision,
} from './format';

describe('format', () => {
  it('shortens digests and revisions', () => {
    expect(shortDigest(`sha256:${'0123456789abcdef'.repeat(4)}`)).toBe(
      '0123456789ab',
    );
    expect(shortRevision('a'.repeat(40))).toBe('aaaaaaa');
    expect(shortRevision('v1.2.3')).toBe('v1.2.3');
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(45_200_000)).toBe('45.2 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
  });

  it('formats times relative to now', () => {
    const now = Date.parse('2026-05-10T12:00:00Z');
    expect(formatRelativeTime('2026-05-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelativeTime('2026-05-10T11:59:30Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-05-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelativeTime('2024-05-10T12:00:00Z', now)).toBe('2 years ago');
    expect(formatRelativeTime(undefined, now)).toBeUndefined();
    expect(formatRelativeTime('not a date', now)).toBeUndefined();
  });

  it('shows the backend message of a failed response', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: 'No image ghcr.io/x/y' },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    expect(errorMessage(error)).toBe('No image ghcr.io/x/y');
    expect(errorMessage(new Error('plain'))).toBe('plain');
  });
});
