/** A phase's state as a badge: upcoming, running (accepting submissions) or ended. */
export function PhaseState({ state }: { state: "upcoming" | "running" | "ended" }) {
  return <span className={`status phase-${state}`}>{state}</span>;
}
