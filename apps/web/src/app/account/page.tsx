import { type ApiTokenRow, getServices, getUser, listApiTokens } from "@arbor/usecases";
import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { CreateTokenForm } from "@/components/auth/create-token-form";
import { RevokeTokenButton } from "@/components/auth/revoke-token-button";
import { authorizePage } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Account" };

const when = (iso: string | null, none = "—") => (iso ? new Date(iso).toLocaleString("en-GB") : none);

/** Your API tokens: create (shown once), list, revoke. Admins see anyone's with ?userId=N (list and revoke). */
export default async function AccountPage({ searchParams }: { searchParams: Promise<{ userId?: string | string[] }> }) {
  const { userId: raw } = await searchParams;
  const principal = await authorizePage(
    "/account",
    typeof raw === "string" ? `/account?userId=${encodeURIComponent(raw)}` : "/account",
  );
  let userId = principal.id;
  if (raw !== undefined) {
    if (typeof raw !== "string" || !/^\d{1,10}$/.test(raw)) notFound();
    userId = Number(raw);
  }
  const own = userId === principal.id;
  if (!own && !principal.roles.includes("admin")) forbidden();
  const db = (await getServices()).db;
  const user = own ? principal : await loadOr404(() => getUser(db, userId));
  const tokens = await loadOr404(() => listApiTokens(db, { userId, actor: principal }));
  return (
    <div className="stack">
      <div>
        <h1>{own ? "Your account" : `API tokens of ${user.email}`}</h1>
        <p className="muted" style={{ margin: 0 }}>
          {user.email}
          {user.name ? ` (${user.name})` : ""} · {user.roles.join(", ")}
        </p>
      </div>
      {own && (
        <section className="panel">
          <h2>New API token</h2>
          <p className="muted">
            For the command line and the trainer (<code>Authorization: Bearer …</code>). It can do what you can, until
            it expires or you revoke it.
          </p>
          <CreateTokenForm />
        </section>
      )}
      <section className="panel">
        <h2>{own ? "Your API tokens" : "Their API tokens"}</h2>
        <TokenTable tokens={tokens} />
      </section>
    </div>
  );
}

function TokenTable({ tokens }: { tokens: ApiTokenRow[] }) {
  if (tokens.length === 0) return <p className="muted">No tokens.</p>;
  return (
    <table className="table" aria-label="API tokens">
      <thead>
        <tr>
          <th>name</th>
          <th>created</th>
          <th>last used</th>
          <th>expires</th>
          <th>state</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => (
          <tr key={token.id} className={token.state === "active" ? "" : "muted"}>
            <td>{token.name}</td>
            <td>{when(token.createdAt)}</td>
            <td>{when(token.lastUsedAt, "never")}</td>
            <td>{when(token.expiresAt, "never")}</td>
            <td>{token.state === "revoked" ? `revoked ${when(token.revokedAt)}` : token.state}</td>
            <td>{token.state !== "revoked" && <RevokeTokenButton id={token.id} name={token.name} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
