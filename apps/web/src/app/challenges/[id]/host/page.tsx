import {
  getChallenge,
  getServices,
  idSchema,
  listPhaseSubmissions,
  type PhaseSubmissions,
  parseInput,
} from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, redirect } from "next/navigation";
import { AutoRefresh } from "@/components/challenges/auto-refresh";
import { formatBytes, formatError, formatUtc } from "@/components/challenges/challenge-format";
import { AddPhaseForm } from "@/components/challenges/host/add-phase-form";
import { BanForm } from "@/components/challenges/host/ban-form";
import { FlagButton } from "@/components/challenges/host/flag-button";
import { PhaseActions } from "@/components/challenges/host/phase-actions";
import { SettingsForm } from "@/components/challenges/host/settings-form";
import { PhaseState } from "@/components/challenges/phase-state";
import { formatCount } from "@/components/format";
import { currentPrincipal } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Host a challenge" };

/** Submissions listed per phase (the newest); the API has them all. */
const SUBMISSIONS_SHOWN = 500;
const ACTIVE = new Set(["queued", "scoring"]);

/** Running a challenge: its settings, phases (add, change, release, revise, baselines), submissions, bans. */
export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const path = `/challenges/${id}/host`;
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(path)}`);
  const { db } = await getServices();
  const challenge = await loadOr404(() => getChallenge(db, parseInput(idSchema("challenge"), id), principal));
  if (!challenge.hosting) forbidden();
  const submissions = await Promise.all(challenge.phases.map((p) => listPhaseSubmissions(db, p.id, principal)));

  return (
    <div className="stack">
      <div>
        <Link href={`/challenges/${challenge.id}`}>← {challenge.title}</Link>
        <h1>Host: {challenge.title}</h1>
        <p className="muted" style={{ margin: 0 }}>
          Only you (and admins) see this page. Times are UTC.
        </p>
      </div>

      <section className="panel" aria-labelledby="settings">
        <h2 id="settings">Settings</h2>
        <SettingsForm challenge={challenge} />
      </section>

      {challenge.phases.map((phase, i) => {
        const all = submissions[i] as PhaseSubmissions;
        return (
          <section key={phase.id} className="panel" aria-labelledby={`phase-${phase.id}`}>
            <h2 id={`phase-${phase.id}`}>
              Phase {phase.name} <PhaseState state={phase.state} />
            </h2>
            <p className="muted small">
              <Link href={`/challenges/${challenge.id}/phases/${phase.id}`}>leaderboard</Link> ·{" "}
              {formatUtc(phase.startsAt)} → {formatUtc(phase.endsAt)} · {formatCount(phase.images)} test images ·{" "}
              {formatCount(phase.classes)} classes · truth from{" "}
              {phase.truthSource === "version" ? "a dataset version" : "uploaded files"}, revision {phase.truthRevision}
            </p>
            <PhaseActions phase={phase} />
            <h3 className="small-heading">Submissions ({formatCount(all.submissions.length)})</h3>
            <AutoRefresh active={all.submissions.some((s) => ACTIVE.has(s.status))} ms={5000} />
            <PhaseSubmissionsTable all={all} />
          </section>
        );
      })}

      <section className="panel" aria-labelledby="add-phase">
        <h2 id="add-phase">Add a phase</h2>
        <AddPhaseForm challengeId={challenge.id} />
      </section>

      <section className="panel" aria-labelledby="bans">
        <h2 id="bans">Bans</h2>
        <p className="muted small">
          A banned user can no longer submit or see the test images, and their team leaves the boards. The user id is in
          the submissions tables above.
        </p>
        <BanForm challengeId={challenge.id} />
      </section>
    </div>
  );
}

/** Every submission of a phase, private scores included (the host sees them while the phase runs). */
function PhaseSubmissionsTable({ all }: { all: PhaseSubmissions }) {
  if (all.submissions.length === 0) return <p className="muted">No submissions yet.</p>;
  const shown = all.submissions.slice(0, SUBMISSIONS_SHOWN);
  return (
    <>
      <div className="table-scroll tall">
        <table className="table" aria-label="All submissions">
          <thead>
            <tr>
              <th>#</th>
              <th>team</th>
              <th>submitted by</th>
              <th>submitted (UTC)</th>
              <th>file</th>
              <th>status</th>
              <th className="num">public top-5 / top-1</th>
              <th className="num">private top-5 / top-1</th>
              <th>flag</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} className={s.flagged ? "flagged" : undefined}>
                <td>{s.id}</td>
                <td>
                  {s.team} <span className="muted small">team {s.teamId}</span>
                  {s.baseline && (
                    <div className="muted small">
                      baseline
                      {s.baselineModelId !== null && (
                        <>
                          {" "}
                          of <Link href={`/models/${s.baselineModelId}`}>model {s.baselineModelId}</Link>
                        </>
                      )}
                    </div>
                  )}
                </td>
                <td className="small">
                  {s.submittedBy ? (
                    <>
                      {s.submittedBy.name ?? s.submittedBy.email}
                      <div className="muted">
                        user {s.submittedBy.id} · {s.submittedBy.email}
                      </div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="small">{formatUtc(s.createdAt)}</td>
                <td className="small">
                  {s.format} · {formatBytes(s.bytes)}
                  <div className="mono muted" title={s.sha256}>
                    {s.sha256.slice(0, 12)}…
                  </div>
                </td>
                <td>
                  <span className={`status submission-${s.status}`}>{s.status}</span>
                  {!s.counted && <div className="muted small">refused (not counted)</div>}
                  {s.late && <div className="muted small">late</div>}
                  {s.selectedForFinal && <div className="small">final</div>}
                  {s.truthRevision !== null && s.truthRevision !== all.revision && (
                    <div className="muted small">scored at revision {s.truthRevision}</div>
                  )}
                  {s.failureReason && <div className="error small pre-wrap clamp">{s.failureReason}</div>}
                </td>
                <td className="count num small">
                  {formatError(s.publicScores.top5)}
                  <br />
                  {formatError(s.publicScores.top1)}
                </td>
                <td className="count num small">
                  {formatError(s.privateScores.top5)}
                  <br />
                  {formatError(s.privateScores.top1)}
                </td>
                <td className="small">
                  {s.flagged && <div className="error">{s.flagReason}</div>}
                  <FlagButton submissionId={s.id} flagged={s.flagged} />
                  {s.counted && s.status === "scored" && (
                    <a href={`/api/v1/submissions/${s.id}/breakdown`}>per-class errors</a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {all.submissions.length > shown.length && (
        <p className="muted small">
          The newest {formatCount(shown.length)}; all of them:{" "}
          <code>GET /api/v1/phases/{all.phaseId}/all-submissions</code>.
        </p>
      )}
    </>
  );
}
