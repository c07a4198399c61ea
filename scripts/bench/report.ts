/** Benchmarks print each figure next to its same-process baseline, since these machines are noisy. */
export function report(name: string, value: number, unit: string, baseline: number, baselineName: string): void {
  const ratio = baseline / value;
  console.log(
    `${name.padEnd(34)} ${value.toFixed(2).padStart(9)} ${unit.padEnd(3)}  baseline (${baselineName}) ${baseline
      .toFixed(2)
      .padStart(8)} ${unit}  ratio ${ratio.toFixed(2)}×`,
  );
}

export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}
