import { UseCaseError } from "../errors.ts";

/**
 * A semaphore with a bounded queue: at most `concurrency` tasks run at once, at most `maxQueued` wait, and
 * beyond that a task is refused at once (`rate-limited`, retry in a second) instead of queueing without end.
 * Password hashing goes through one (scrypt costs ~32 MB and tens of milliseconds of CPU per call), so a flood
 * of sign-ins cannot saturate the CPU or the memory of a web process.
 */
export class WorkGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Tasks that ran to the end (or threw), for tests and diagnostics. */
  completed = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
    private readonly busyMessage = "the server is busy: try again in a moment",
  ) {
    if (concurrency < 1 || maxQueued < 0) throw new Error("a work gate needs concurrency ≥ 1 and a queue ≥ 0");
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `task` when a slot is free. `refuseWhenFull` false: waits however long the queue is (for trusted
   * callers, such as an admin creating users, whose work must not fail because sign-ins are busy).
   */
  async run<T>(task: () => Promise<T>, { refuseWhenFull = true } = {}): Promise<T> {
    if (this.active >= this.concurrency) {
      if (refuseWhenFull && this.waiting.length >= this.maxQueued) {
        throw new UseCaseError("rate-limited", this.busyMessage, undefined, 1);
      }
      // The slot is handed over by the task that finishes (`active` stays counted for us).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      this.completed++;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
