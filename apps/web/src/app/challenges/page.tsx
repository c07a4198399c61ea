import { getServices, listChallenges } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { formatUtc } from "@/components/challenges/challenge-format";
import { PhaseState } from "@/components/challenges/phase-state";
import { currentPrincipal, mayOpen } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Challenges" };

/** Every challenge with its phases: public, so that anyone can read the rules before signing up. */
export default async function ChallengesPage() {
  const principal = await currentPrincipal();
  const challenges = await listChallenges((await getServices()).db, principal);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Challenges</h1>
          <p className="muted" style={{ margin: 0 }}>
            Benchmarks with a hidden ground truth: join a challenge, download its test images, submit your predictions
            and see where they rank. Times are UTC.
          </p>
        </div>
        {mayOpen("/challenges/new", principal) && (
          <Link href="/challenges/new" className="button primary">
            New challenge
          </Link>
        )}
      </div>
      {challenges.length === 0 ? (
        <div className="empty">No challenges yet.</div>
      ) : (
        <section className="panel">
          <table className="table" aria-label="Challenges">
            <thead>
              <tr>
                <th>challenge</th>
                <th>phases</th>
                <th>sign-up</th>
                <th>you</th>
              </tr>
            </thead>
            <tbody>
              {challenges.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/challenges/${c.id}`}>{c.title}</Link>
                    {c.status === "closed" && <span className="status"> closed</span>}
                    <div className="muted small">created {formatUtc(c.createdAt)}</div>
                  </td>
                  <td>
                    {c.phases.length === 0 ? (
                      <span className="muted small">none yet</span>
                    ) : (
                      <ul className="phase-list">
                        {c.phases.map((p) => (
                          <li key={p.id}>
                            <Link href={`/challenges/${c.id}/phases/${p.id}`}>{p.name}</Link>{" "}
                            <PhaseState state={p.state} />{" "}
                            <span className="muted small">
                              {formatUtc(p.startsAt)} → {formatUtc(p.endsAt)}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="small">
                    {c.status === "closed" ? "closed" : c.openSignUp ? "open" : "not open"}
                    {c.teamSizeLimit > 1 && <div className="muted">teams of up to {c.teamSizeLimit}</div>}
                  </td>
                  <td className="small">
                    {c.hosting && (
                      <Link href={`/challenges/${c.id}/host`} className="chip">
                        host
                      </Link>
                    )}{" "}
                    {c.joined && <span className="chip">joined</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
