import { formatByteSize, parseByteSize } from './byteSize';

describe('parseByteSize', () => {
  it.each([
    ['100MB', 100_000_000],
    ['2 GB', 2_000_000_000],
    ['512MiB', 536_870_912],
    ['1.5gb', 1_500_000_000],
    ['4096', 4096],
    [1234, 1234],
  ])('reads %j', (input, bytes) => {
    expect(parseByteSize(input)).toBe(bytes);
  });

  it.each(['', 'big', '10 parsecs', '-5MB', '1,000'])(
    'refuses %j with the accepted units',
    input => {
      expect(() => parseByteSize(input)).toThrow(
        /expected a number with an optional unit/,
      );
    },
  );
});

describe('formatByteSize', () => {
  it.each([
    [999, '999 B'],
    [48_213, '48.2 kB'],
    [312_400_000, '312 MB'],
    [1_500_000_000, '1.5 GB'],
  ])('shows %d as %s', (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text);
  });
});
