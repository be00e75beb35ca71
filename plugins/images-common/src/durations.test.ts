import { formatDuration } from './durations';

describe('formatDuration', () => {
  it('says durations in their two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 9_000)).toBe(
      '2 h 5 min',
    );
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatDuration(86_400_000)).toBe('1 d');
  });
});
