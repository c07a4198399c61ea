import { describe, expect, it } from "vitest";
import { WorkGate } from "./work-gate.ts";

/** A task that runs until `finish()` is called. */
function blocker() {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { task: () => done, finish: () => finish() };
}

describe("WorkGate", () => {
  it("runs at most `concurrency` tasks, queues a bounded number, and refuses the rest at once", async () => {
    const gate = new WorkGate(2, 1, "busy hashing");
    const b = blocker();
    const started: number[] = [];
    const runs = [1, 2, 3].map((n) =>
      gate.run(async () => {
        started.push(n);
        await b.task();
        return n;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect([gate.running, gate.queued]).toEqual([2, 1]);
    // Full: refused without waiting, with a retry hint (the route's 429 + Retry-After: 1).
    await expect(gate.run(async () => 4)).rejects.toMatchObject({
      name: "UseCaseError",
      kind: "rate-limited",
      message: "busy hashing",
      retryAfterSeconds: 1,
    });
    // A trusted caller waits for a slot however long the queue is.
    const trusted = gate.run(async () => 5, { refuseWhenFull: false });
    expect(gate.queued).toBe(2);
    b.finish();
    expect(await Promise.all([...runs, trusted])).toEqual([1, 2, 3, 5]);
    expect(started).toEqual([1, 2, 3]);
    expect([gate.running, gate.queued, gate.completed]).toEqual([0, 0, 4]);
  });

  it("frees the slot of a task that throws", async () => {
    const gate = new WorkGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "next")).toBe("next");
    expect(gate.running).toBe(0);
  });
});
