import { parseMarkdown } from "@arbor/core";
import {
  type ChallengeDetail,
  type ExportFile,
  getChallenge,
  getServices,
  idSchema,
  listExportFiles,
  type Principal,
  parseInput,
  UseCaseError,
  usecasesEnv,
} from "@arbor/usecases";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { formatBytes, formatUtc } from "@/components/challenges/challenge-format";
import { JoinForm } from "@/components/challenges/join-form";
import { PhaseState } from "@/components/challenges/phase-state";
import { formatCount } from "@/components/format";
import { Markdown } from "@/components/markdown";
import { currentPrincipal } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";
import { requestOrigin } from "@/server/request-origin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Challenge" };

/** A challenge: its rules, phases, published exports, and joining it (public: anyone may read it). */
export default async function ChallengePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await currentPrincipal();
  const services = await getServices();
  const challenge = await loadOr404(() => getChallenge(services.db, parseInput(idSchema("challenge"), id), principal));
  const path = `/challenges/${challenge.id}`;
  // Published exports are for the participants (and the host): others learn they exist, and join for them.
  const mayDownload = challenge.hosting || (challenge.membership !== null && !challenge.banned);
  const origin = requestOrigin(await headers());
  const exportFiles = mayDownload
    ? await Promise.all(
        challenge.exports.map(async (e) => {
          if (e.status !== "succeeded") return { id: e.id, files: [] as ExportFile[], error: null };
          try {
            return {
              id: e.id,
              files: await listExportFiles(services, e.id, { origin, viewer: principal }),
              error: null,
            };
          } catch (error) {
            // A refusal (labels withheld from this viewer) is said where the export is; anything else is a bug.
            if (!(error instanceof UseCaseError)) throw error;
            return { id: e.id, files: [] as ExportFile[], error: error.message };
          }
        }),
      )
    : [];

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <Link href="/challenges">← Challenges</Link>
          <h1>
            {challenge.title} {challenge.status === "closed" && <span className="status">closed</span>}
          </h1>
          <p className="muted" style={{ margin: 0 }}>
            Hosted by {challenge.host?.name ?? "the operator"} ·{" "}
            {challenge.teamSizeLimit > 1 ? `teams of up to ${challenge.teamSizeLimit}` : "one person per team"} · times
            in UTC
          </p>
        </div>
        {challenge.hosting && (
          <Link href={`${path}/host`} className="button">
            Host
          </Link>
        )}
      </div>

      <div className="grid-2">
        <section className="panel" aria-labelledby="rules">
          <h2 id="rules">Rules</h2>
          {challenge.description.trim() === "" ? (
            <p className="muted">The host has not written the rules yet.</p>
          ) : (
            <Markdown blocks={parseMarkdown(challenge.description)} />
          )}
        </section>
        <section className="panel" aria-labelledby="take-part">
          <h2 id="take-part">Take part</h2>
          <JoinPanel challenge={challenge} principal={principal} path={path} />
        </section>
      </div>

      <section className="panel" aria-labelledby="phases">
        <h2 id="phases">Phases</h2>
        {challenge.phases.length === 0 ? (
          <p className="muted">No phases yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" aria-labelledby="phases">
              <thead>
                <tr>
                  <th>phase</th>
                  <th>state</th>
                  <th>dates (UTC)</th>
                  <th>quotas</th>
                  <th className="num">test images</th>
                  <th className="num">classes</th>
                  <th>leaderboard</th>
                </tr>
              </thead>
              <tbody>
                {challenge.phases.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link href={`${path}/phases/${p.id}`}>{p.name}</Link>
                      {p.truthRevision > 1 && (
                        <div className="muted small">ground truth revision {p.truthRevision}</div>
                      )}
                    </td>
                    <td>
                      <PhaseState state={p.state} />
                      {p.released && <div className="muted small">images released</div>}
                    </td>
                    <td className="small">
                      {formatUtc(p.startsAt)}
                      <br />→ {formatUtc(p.endsAt)}
                    </td>
                    <td className="small">
                      {p.dailyQuota} a day, {p.totalQuota} in all
                      <div className="muted">at most {p.failureDailyCap} refused files a day</div>
                    </td>
                    <td className="count num">{formatCount(p.images)}</td>
                    <td className="count num">
                      {formatCount(p.classes)}
                      {!p.classesPublished && <div className="muted small">list not published</div>}
                    </td>
                    <td className="small">
                      {p.leaderboard === "public" ? "public while it runs" : "hidden until the end"}
                      <div className="muted">
                        {Math.round(p.publicFraction * 100)}% of the images score the public board
                        {p.hierarchical && "; hierarchical scores"}
                        {p.postChallenge && "; post-challenge board"}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {challenge.exports.length > 0 && (
        <section className="panel" aria-labelledby="exports">
          <h2 id="exports">Data</h2>
          {!mayDownload ? (
            <p className="muted">
              The host published {challenge.exports.length === 1 ? "a dataset export" : "dataset exports"} for the
              participants: join the challenge to download {challenge.exports.length === 1 ? "it" : "them"}.
            </p>
          ) : (
            <ul className="bare-list export-downloads">
              {challenge.exports.map((e) => {
                const listed = exportFiles.find((f) => f.id === e.id);
                return (
                  <li key={e.id}>
                    <b>{e.format}</b> export {e.id} of dataset version {e.versionId}{" "}
                    <span className={`status status-${e.status}`}>{e.status}</span>
                    {listed?.error && <p className="error small">{listed.error}</p>}
                    {listed && listed.files.length > 0 && (
                      <ul className="file-list">
                        {listed.files.map((f) => (
                          <li key={f.path}>
                            {f.url ? (
                              <a href={f.url} download={f.path.split("/").at(-1)} className="mono">
                                {f.path}
                              </a>
                            ) : (
                              <span className="mono">{f.path}</span>
                            )}
                            {f.bytes > 0 && <span className="muted"> {formatBytes(f.bytes)}</span>}
                          </li>
                        ))}
                        {listed.files.some((f) => f.url === null) && (
                          <li className="muted">A server folder: read the files there (no download links).</li>
                        )}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

/** Signed out: sign in or up. Signed in: join, or your team. */
function JoinPanel({
  challenge,
  principal,
  path,
}: {
  challenge: ChallengeDetail;
  principal: Principal | null;
  path: string;
}) {
  if (challenge.banned) return <p className="error">The host banned you from this challenge.</p>;
  const team = challenge.membership;
  if (team) {
    return (
      <div className="stack" style={{ gap: "0.5rem" }}>
        <p style={{ margin: 0 }}>
          You take part as <b>{team.teamName}</b>
          {challenge.teamSizeLimit > 1 && (
            <span className="muted">
              {" "}
              (invite code <span className="mono">{team.inviteCode}</span>: give it to your teammates to join)
            </span>
          )}
          .
        </p>
        <p className="muted small" style={{ margin: 0 }}>
          Rules accepted {formatUtc(team.acceptedRulesAt)}.
        </p>
        {challenge.teamSizeLimit > 1 && (
          <>
            <h3 className="small-heading">
              Members ({team.members.length} of {challenge.teamSizeLimit})
            </h3>
            <ul className="bare-list">
              {team.members.map((name, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: names may repeat; the order of joining is the identity
                <li key={i}>{name}</li>
              ))}
            </ul>
          </>
        )}
        {challenge.phases.length > 0 && (
          <p className="small" style={{ margin: 0 }}>
            Submit on a phase&apos;s page:{" "}
            {challenge.phases.map((p, i) => (
              <span key={p.id}>
                {i > 0 && ", "}
                <Link href={`${path}/phases/${p.id}`}>{p.name}</Link>
              </span>
            ))}
            .
          </p>
        )}
      </div>
    );
  }
  if (challenge.status === "closed")
    return <p className="muted">The challenge is closed: it takes no new participants.</p>;
  if (!challenge.openSignUp) return <p className="muted">This challenge takes no open sign-ups.</p>;
  if (!principal) {
    const next = encodeURIComponent(path);
    return (
      <p>
        <Link href={`/login?next=${next}`}>Sign in</Link> to join
        {usecasesEnv().openSignUp && (
          <>
            , or <Link href={`/signup?next=${next}`}>sign up</Link> for a participant account
          </>
        )}
        .
      </p>
    );
  }
  return <JoinForm challengeId={challenge.id} teamSizeLimit={challenge.teamSizeLimit} />;
}
