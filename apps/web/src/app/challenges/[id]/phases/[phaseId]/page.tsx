import {
  getChallenge,
  getLeaderboard,
  getScoreHistory,
  getServices,
  idSchema,
  type Leaderboard,
  listMySubmissions,
  MAX_SUBMISSION_BYTES,
  parseInput,
} from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/challenges/auto-refresh";
import { formatUtc } from "@/components/challenges/challenge-format";
import { LeaderboardTable } from "@/components/challenges/leaderboard-table";
import { MySubmissions } from "@/components/challenges/my-submissions";
import { PhaseState } from "@/components/challenges/phase-state";
import { ScorePlot } from "@/components/challenges/score-plot";
import { SubmitPanel } from "@/components/challenges/submit-panel";
import { formatCount } from "@/components/format";
import { currentPrincipal } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Challenge phase" };

const ACTIVE = new Set(["queued", "scoring"]);

/**
 * A phase: its leaderboard and score history (public), downloads, and for the participants the submit panel
 * and their team's submissions (refreshed while any is being scored).
 */
export default async function PhasePage({ params }: { params: Promise<{ id: string; phaseId: string }> }) {
  const { id, phaseId } = await params;
  const principal = await currentPrincipal();
  const { db } = await getServices();
  const challenge = await loadOr404(() => getChallenge(db, parseInput(idSchema("challenge"), id), principal));
  const phase = await loadOr404(async () => {
    const wanted = parseInput(idSchema("phase"), phaseId);
    const found = challenge.phases.find((p) => p.id === wanted);
    if (!found) notFound();
    return found;
  });
  const board = await getLeaderboard(db, phase.id, { board: "final" });
  const lateBoard =
    phase.postChallenge && phase.state === "ended"
      ? await getLeaderboard(db, phase.id, { board: "post-challenge" })
      : null;
  const history = await getScoreHistory(db, phase.id);
  const member = challenge.membership !== null && !challenge.banned;
  const mine = member ? await listMySubmissions(db, phase.id, principal) : null;
  const mayList = member || challenge.hosting;
  const api = `/api/v1/phases/${phase.id}`;
  const path = `/challenges/${challenge.id}`;
  const accepting = phase.state === "running" || (phase.state === "ended" && phase.postChallenge);

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <Link href={path}>← {challenge.title}</Link>
          <h1>
            {phase.name} <PhaseState state={phase.state} />
          </h1>
          <p className="muted" style={{ margin: 0 }}>
            {formatUtc(phase.startsAt)} → {formatUtc(phase.endsAt)} · {formatCount(phase.images)} test images ·{" "}
            {formatCount(phase.classes)} classes · {phase.dailyQuota} submissions a day, {phase.totalQuota} in all
          </p>
        </div>
        {challenge.hosting && (
          <Link href={`${path}/host`} className="button">
            Host
          </Link>
        )}
      </div>

      <section className="panel" aria-labelledby="leaderboard">
        <h2 id="leaderboard">Leaderboard</h2>
        <BoardNotes board={board} publicFraction={phase.publicFraction} endsAt={phase.endsAt} />
        {board.entries.length === 0 && !board.hidden && (
          <p className="muted">{board.note ?? "No scored submissions yet."}</p>
        )}
        <LeaderboardTable board={board} label="Leaderboard" />
        <p className="small downloads">
          Download: <a href={`${api}/leaderboard`}>JSON</a> · <a href={`${api}/leaderboard?format=csv`}>CSV</a>
        </p>
      </section>

      {lateBoard && (
        <section className="panel" aria-labelledby="post-challenge">
          <h2 id="post-challenge">Post-challenge board</h2>
          <p className="muted small">
            Submissions after the end, scored on the same held-out images as the final ranking; they take no part in it.
          </p>
          {lateBoard.entries.length === 0 && <p className="muted">{lateBoard.note ?? "No late submissions yet."}</p>}
          <LeaderboardTable board={lateBoard} label="Post-challenge board" />
          <p className="small downloads">
            Download: <a href={`${api}/leaderboard?board=post-challenge`}>JSON</a> ·{" "}
            <a href={`${api}/leaderboard?board=post-challenge&format=csv`}>CSV</a>
          </p>
        </section>
      )}

      <section className="panel" aria-labelledby="history">
        <h2 id="history">Public score over time</h2>
        {board.hidden ? (
          <p className="muted">Hidden until the end, like the leaderboard.</p>
        ) : (
          <ScorePlot history={history} />
        )}
      </section>

      <section className="panel" aria-labelledby="downloads">
        <h2 id="downloads">Downloads</h2>
        <ul className="bare-list">
          <li>
            Class list (<code>wnid index name</code> per line):{" "}
            {phase.classesPublished ? (
              <a href={`${api}/classes`}>classes.txt</a>
            ) : (
              <span className="muted">not published for this phase</span>
            )}
          </li>
          {mayList ? (
            <>
              <li>
                Test images in submission order: <a href={`${api}/test-images?format=csv`}>test-images.csv</a>
              </li>
              <li>
                {phase.truthSource === "version" ? (
                  <>
                    Test images with the list: <a href={`${api}/test-images/archive`}>test-images.tar</a>
                  </>
                ) : (
                  <span className="muted">The host distributes this phase&apos;s test images (see the rules).</span>
                )}
              </li>
            </>
          ) : (
            <li className="muted">The test images are for the participants: join the challenge to download them.</li>
          )}
        </ul>
      </section>

      {member && mine && (
        <>
          <section className="panel" aria-labelledby="submit">
            <h2 id="submit">Submit</h2>
            {accepting ? (
              <SubmitPanel phaseId={phase.id} maxBytes={MAX_SUBMISSION_BYTES} late={phase.state === "ended"} />
            ) : phase.state === "upcoming" ? (
              <p className="muted">Submissions open at {formatUtc(phase.startsAt)}.</p>
            ) : (
              <p className="muted">The phase has ended; it takes no late submissions.</p>
            )}
          </section>
          <section className="panel" aria-labelledby="mine">
            <h2 id="mine">My submissions</h2>
            <AutoRefresh active={mine.submissions.some((s) => ACTIVE.has(s.status))} />
            <MySubmissions phaseId={phase.id} data={mine} running={phase.state === "running"} />
          </section>
        </>
      )}
      {challenge.banned && <p className="error">The host banned you from this challenge.</p>}
      {!member && !challenge.banned && accepting && (
        <p className="muted">
          <Link href={path}>Join the challenge</Link> to submit.
        </p>
      )}
    </div>
  );
}

/** What the board's scores are over, and what is left off it. */
function BoardNotes({ board, publicFraction, endsAt }: { board: Leaderboard; publicFraction: number; endsAt: string }) {
  const share = Math.round(publicFraction * 100);
  return (
    <div className="board-notes small">
      {board.scope === "public" ? (
        <p>
          <b>Public scores</b>: over {share}% of the test images. The final ranking uses the other {100 - share}%
          (private), from each team&apos;s final submissions, and appears when the phase ends ({formatUtc(endsAt)}).
        </p>
      ) : (
        <p>
          <b>Final ranking</b>: private scores over the {100 - share}% of the test images that were held out, from each
          team&apos;s final submissions (those it chose, else its two best public ones).
        </p>
      )}
      {board.hidden && <p className="notice">The leaderboard is hidden until the end ({formatUtc(endsAt)}).</p>}
      <p className="muted">
        Ground truth revision {board.revision}
        {board.rescoring > 0 &&
          ` · ${board.rescoring} submission${board.rescoring === 1 ? "" : "s"} being scored again at this revision (left off meanwhile)`}
        {" · "}baselines are the host&apos;s reference models: shown, never ranked.
      </p>
    </div>
  );
}
