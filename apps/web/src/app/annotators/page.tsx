import { getServices, listAnnotators } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { BlockButton } from "@/components/campaigns/block-button";
import { formatCount } from "@/components/format";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Annotators" };

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(1)}%`);

export default async function AnnotatorsPage() {
  await authorizePage("/annotators", "/annotators");
  const annotators = await listAnnotators((await getServices()).db);
  return (
    <div className="stack">
      <div>
        <h1>Annotators</h1>
        <p className="muted" style={{ margin: 0 }}>
          Gold accuracy is estimated from gold questions with a prior (a few answers say little); blocking an annotator
          signs them out, revokes their API tokens for good and discounts their votes in every consensus.
        </p>
      </div>
      <section className="panel">
        <table className="table">
          <thead>
            <tr>
              <th>annotator</th>
              <th>votes</th>
              <th>gold</th>
              <th>gold accuracy</th>
              <th>agreement</th>
              <th>s / task</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {annotators.map((a) => (
              <tr key={a.id} className={a.blocked ? "muted" : ""}>
                <td>
                  {a.email} {a.blocked && <span className="status status-failed">blocked</span>}
                </td>
                <td className="count">{formatCount(a.votes)}</td>
                <td className="count">
                  {a.gold.correct}/{a.gold.total}
                </td>
                <td className="count">{percent(a.gold.total > 0 ? a.gold.accuracy : null)}</td>
                <td className="count">{percent(a.agreement)}</td>
                <td className="count">{a.secondsPerTask === null ? "—" : a.secondsPerTask.toFixed(1)}</td>
                <td>
                  <BlockButton id={a.id} blocked={a.blocked} /> <Link href={`/account?userId=${a.id}`}>tokens</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
