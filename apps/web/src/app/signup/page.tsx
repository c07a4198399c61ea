import { getServices, hasUsers, usecasesEnv } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/components/auth/safe-next-path";
import { SignUpForm } from "@/components/auth/sign-up-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign up" };

/** Open sign-up (ARBOR_OPEN_SIGNUP): a participant account, to take part in challenges. */
export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  // The first account is the admin's, made on the first-run page, never a participant's.
  if (!(await hasUsers((await getServices()).db))) redirect("/setup");
  const { next } = await searchParams;
  const loginHref = next ? `/login?next=${encodeURIComponent(safeNextPath(next))}` : "/login";
  return (
    <div className="panel" style={{ maxWidth: "28rem", margin: "2rem auto" }}>
      <h1>Sign up</h1>
      {usecasesEnv().openSignUp ? (
        <>
          <p className="muted">
            A participant account lets you join challenges, download their test images and submit predictions.
          </p>
          <SignUpForm next={next ? safeNextPath(next) : "/challenges"} />
        </>
      ) : (
        <p className="muted">Sign-up is closed on this server: ask an admin for an account.</p>
      )}
      <p className="muted small">
        Already have an account? <Link href={loginHref}>Sign in</Link>
      </p>
    </div>
  );
}
