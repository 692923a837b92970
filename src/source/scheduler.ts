// When sync runs happen in service mode. A small interface so a shared, multi-process scheduler
// (BullMQ, issue 15) can replace the in-process timer without the sync knowing.

export interface Scheduler {
  /**
   * Runs `job` now and then every `intervalMs` after each run's start. Never two runs of the same
   * `key` at once: a tick that finds the previous run still going is skipped (and reported).
   */
  schedule(key: string, intervalMs: number, job: () => Promise<void>): void;
  /** No new runs; resolves when the running ones have finished. */
  stop(): Promise<void>;
}

export class InProcessScheduler implements Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly onSkip: (key: string) => void = () => undefined, private readonly onError: (key: string, err: unknown) => void = () => undefined) {}

  schedule(key: string, intervalMs: number, job: () => Promise<void>): void {
    if (this.timers.has(key)) throw new Error(`"${key}" is already scheduled`);
    const tick = () => {
      if (this.stopped) return;
      if (this.running.has(key)) {
        this.onSkip(key);
        return;
      }
      const run = job()
        .catch((err: unknown) => this.onError(key, err))
        .finally(() => this.running.delete(key));
      this.running.set(key, run);
    };
    this.timers.set(key, setInterval(tick, intervalMs));
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
    await Promise.all(this.running.values());
  }
}
