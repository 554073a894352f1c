import type { Clock } from '../../../src/apply/clock.js';

/** What the clock waits for before it moves time on: the requests in flight to the API server. */
export interface Traffic {
  readonly inFlight: number;
  idle(): Promise<void>;
}

/**
 * A clock whose time moves only when the test says, against a real API server: advanceTo() wakes
 * each sleeper at its time, in time order (ties in the order they went to sleep), and lets what it
 * starts run to its end (the requests it sends answered, and those they lead to) before the next.
 * So an elector's timing is exact whatever the API server's latency, and nothing depends on the
 * machine's speed.
 */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; wake: () => void }> = [];
  private readonly traffic: Traffic[] = [];

  constructor(public t: number) {}

  now(): number {
    return this.t;
  }

  /** Also waits for `client`'s requests before time moves on. */
  follow<T extends Traffic>(client: T): T {
    this.traffic.push(client);
    return client;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      const timer = {
        at: this.t + ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time on to `until`, waking each sleeper at its time and letting it run before the next. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      await this.settle();
      const next = this.timers.filter((x) => x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.wake();
    }
    this.t = Math.max(this.t, until);
    await this.settle();
  }

  /** Until nothing is left to run now: no callback pending, no request in flight. */
  async settle(): Promise<void> {
    for (;;) {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      if (this.traffic.every((c) => c.inFlight === 0)) return;
      await Promise.all(this.traffic.map((c) => c.idle()));
    }
  }
}
