import cliProgress from "cli-progress";

/** A progress bar on stderr (stdout stays clean for JSON output). */
export function progressBar(label: string, fields: string) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ${fields} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 10_000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number, payload: Record<string, string>) {
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
