import { describe, expect, it } from 'vitest';
import { createLoadTracker } from './load-tracker';

/** A request the test answers by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('the load state of a page', () => {
  it('is loading before the first answer, not empty', () => {
    const tracker = createLoadTracker();
    expect(tracker.status.value).toBe('loading');
    expect(tracker.loading.value).toBe(true);
  });

  it('is ready with the answer applied, and failed with the message when the request fails', async () => {
    const tracker = createLoadTracker((e) => `failed: ${(e as Error).message}`);
    let rows: number[] = [];
    await tracker.run(
      async () => [1, 2],
      (answer) => {
        rows = answer;
      },
    );
    expect(tracker.status.value).toBe('ready');
    expect(rows).toEqual([1, 2]);
    await tracker.run(
      async () => {
        throw new Error('offline');
      },
      () => undefined,
    );
    expect(tracker.status.value).toBe('failed');
    expect(tracker.error.value).toBe('failed: offline');
  });

  it('applies only the latest of overlapping loads, and a stale failure does not count', async () => {
    const tracker = createLoadTracker();
    const applied: string[] = [];
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = tracker.run(
      () => slow.promise,
      (a) => applied.push(a),
    );
    const second = tracker.run(
      () => fast.promise,
      (a) => applied.push(a),
    );
    fast.resolve('new selection');
    expect(await second).toBe(true);
    slow.reject(new Error('old request failed'));
    expect(await first).toBe(false);
    expect(applied).toEqual(['new selection']);
    expect(tracker.status.value).toBe('ready');
    expect(tracker.error.value).toBeNull();
  });

  it('shows loading again while a reload runs', async () => {
    const tracker = createLoadTracker();
    await tracker.run(
      async () => 1,
      () => undefined,
    );
    const next = deferred<number>();
    const reload = tracker.run(
      () => next.promise,
      () => undefined,
    );
    expect(tracker.status.value).toBe('loading');
    next.resolve(2);
    await reload;
    expect(tracker.status.value).toBe('ready');
  });
});
