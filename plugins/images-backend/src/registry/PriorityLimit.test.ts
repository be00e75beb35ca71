import { PriorityLimit } from './PriorityLimit';

describe('PriorityLimit', () => {
  it('runs at most its limit at once, and work someone waits for before background work', async () => {
    const limit = new PriorityLimit(1);
    const order: string[] = [];
    let release!: () => void;
    const first = limit.run(
      () =>
        new Promise<void>(resolve => {
          order.push('first');
          release = resolve;
        }),
    );
    const background = limit.run(async () => {
      order.push('background');
    }, true);
    const foreground = limit.run(async () => {
      order.push('foreground');
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(order).toEqual(['first']);
    release();
    await Promise.all([first, background, foreground]);
    expect(order).toEqual(['first', 'foreground', 'background']);
  });

  it('frees its slot when work fails', async () => {
    const limit = new PriorityLimit(1);
    await expect(
      limit.run(async () => {
        throw new Error('broken');
      }),
    ).rejects.toThrow('broken');
    expect(await limit.run(async () => 'next')).toBe('next');
  });
});
