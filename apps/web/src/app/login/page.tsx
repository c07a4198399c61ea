import { getServices, hasUsers, usecasesEnv } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { safeNextPath } from "@/components/auth/safe-next-path";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (!(await hasUsers((await getServices()).db))) redirect("/setup");
  const { next } = await searchParams;
  return (
    <div className="panel" style={{ maxWidth: "28rem", margin: "2rem auto" }}>
      <h1>Sign in</h1>
      <CredentialsForm endpoint="/api/v1/auth/login" submitLabel="Sign in" next={safeNextPath(next)} />
      {usecasesEnv().openSignUp && (
        <p className="muted small">
          No account? <Link href="/signup">Sign up to take part in challenges</Link>
        </p>
      )}
    </div>
  );
}
