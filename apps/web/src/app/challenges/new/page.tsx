import type { Metadata } from "next";
import Link from "next/link";
import { NewChallengeForm } from "@/components/challenges/new-challenge-form";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New challenge" };

export default async function NewChallengePage() {
  await authorizePage("/challenges/new", "/challenges/new");
  return (
    <div className="stack">
      <div>
        <Link href="/challenges">← Challenges</Link>
        <h1>New challenge</h1>
        <p className="muted" style={{ margin: 0 }}>
          A challenge starts with its rules; you add its phases (each with its hidden ground truth, dates and quotas) on
          its host page.
        </p>
      </div>
      <section className="panel">
        <NewChallengeForm />
      </section>
    </div>
  );
}
