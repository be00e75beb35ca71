import { roundTripLevels, sequentialRoundTrips } from './roundTrips';

describe('sequentialRoundTrips', () => {
  const at = (startedAt: number, finishedAt?: number) => ({
    startedAt,
    finishedAt,
  });

  it('counts requests sent together once, and each that waited for another again', () => {
    expect(sequentialRoundTrips([])).toBe(0);
    // Two together, then one after both, then two together.
    expect(
      sequentialRoundTrips([
        at(0, 50),
        at(1, 51),
        at(51, 101),
        at(101, 150),
        at(102, 152),
      ]),
    ).toBe(3);
  });

  it('follows the longest chain, even while an unrelated request is in flight', () => {
    expect(
      sequentialRoundTrips([at(0, 300), at(1, 50), at(50, 100), at(100, 150)]),
    ).toBe(3);
  });

  it('counts a request still in flight as ending after everything', () => {
    expect(sequentialRoundTrips([at(0), at(10, 20), at(30, 40)])).toBe(2);
  });
});

describe('roundTripLevels', () => {
  it('groups the requests by round trip', () => {
    const a = { startedAt: 0, finishedAt: 50, name: 'a' };
    const b = { startedAt: 1, finishedAt: 51, name: 'b' };
    const c = { startedAt: 52, finishedAt: 100, name: 'c' };
    expect(
      roundTripLevels([c, b, a]).map(level => level.map(r => r.name)),
    ).toEqual([['a', 'b'], ['c']]);
  });
});
