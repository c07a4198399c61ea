/**
 * The scale-out harness's child processes: each runs in its own process group (so a stop reaches anything it
 * forks), with its output prefixed by its name, and with the harness's environment plus the deployment's
 * variables (passed through `env NAME=value … command`, which adds to the inherited environment: spawn's own
 * `env` option would replace it, and scripts do not read process.env).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited (with its code, or the signal that ended it). */
  readonly exited: Promise<string>;
  /** Whether it is still running. */
  alive(): boolean;
  /** Resolves at the first output line matching `pattern`; rejects if the process exits first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Sends a signal to its process group (SIGKILL: what a crash or an OOM kill does). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  /** stdin "pipe": the child's stdin stays open while this process lives (it can tell when the harness died). */
  options: { cwd: string; env: Record<string, string>; quiet?: RegExp; stdin?: "pipe" },
): ServiceProcess {
  const assignments = Object.entries(options.env).map(([key, value]) => `${key}=${value}`);
  const child: ChildProcess = spawn("env", [...assignments, command, ...args], {
    cwd: options.cwd,
    detached: true,
    stdio: [options.stdin ?? "ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name} did not start`);
  const watchers = new Set<(line: string) => void>();
  let exitedWith: string | null = null;
  const exited = new Promise<string>((resolve) => {
    child.on("exit", (code, signal) => {
      exitedWith = signal ?? `exit ${code}`;
      resolve(exitedWith);
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      if (!options.quiet?.test(line)) console.log(`  [${name}] ${line}`);
      for (const watch of watchers) watch(line);
    });
  }
  const signal = (sig: NodeJS.Signals) => {
    if (exitedWith !== null) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    pid,
    exited,
    alive: () => exitedWith === null,
    waitForLine: (pattern, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const watch = (line: string) => {
          if (pattern.test(line)) done(null, line);
        };
        const done = (error: Error | null, line = "") => {
          clearTimeout(timer);
          watchers.delete(watch);
          if (error) reject(error);
          else resolve(line);
        };
        watchers.add(watch);
        void exited.then((how) => done(new Error(`${name} stopped (${how}) before printing ${pattern}`)));
      }),
    signal,
    async stop(graceMs = 35_000) {
      if (exitedWith !== null) return;
      signal("SIGCONT"); // a paused process cannot handle SIGTERM
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // Anything it forked that outlived it (its group) goes too.
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // The group is empty.
      }
    },
  };
}
