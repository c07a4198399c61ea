import { getServices, hasUsers } from "@arbor/usecases";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CredentialsForm } from "@/components/auth/credentials-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up Arbor" };

/** First run: whoever opens Arbor before anyone else exists creates the first admin. */
export default async function SetupPage() {
  if (await hasUsers((await getServices()).db)) redirect("/login");
  return (
    <div className="panel" style={{ maxWidth: "28rem", margin: "2rem auto" }}>
      <h1>Welcome to Arbor</h1>
      <p className="muted">
        Create the first account. It gets every role (admin, annotator, researcher); add more people later with{" "}
        <code>npx arbor user create</code>.
      </p>
      <CredentialsForm endpoint="/api/v1/auth/setup" submitLabel="Create admin account" next="/" withName />
    </div>
  );
}
