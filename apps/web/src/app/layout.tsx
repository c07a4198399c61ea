import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AccountMenu } from "@/components/auth/account-menu";
import { Logo } from "@/components/logo";
import { SearchBox } from "@/components/search-box";
import { currentPrincipal } from "@/server/auth";
import "@/styles/index.css";

export const metadata: Metadata = {
  title: { default: "Arbor", template: "%s · Arbor" },
  description: "Build ImageNet-style image datasets on the WordNet hierarchy.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await currentPrincipal().catch(() => null);
  return (
    <html lang="en">
      <body>
        <header className="header">
          <div className="header-inner">
            <Link href="/" className="brand">
              <Logo />
              Arbor
            </Link>
            <nav className="nav" aria-label="Main">
              <Link href="/synsets">Hierarchy</Link>
              <Link href="/challenges">Challenges</Link>
              {principal?.roles.includes("annotator") && <Link href="/label">Label</Link>}
              {principal?.roles.includes("admin") && <Link href="/ingest">Ingest</Link>}
              {principal?.roles.includes("admin") && <Link href="/campaigns">Campaigns</Link>}
              {principal?.roles.includes("admin") && <Link href="/candidates">Candidates</Link>}
              {principal?.roles.some((role) => role === "researcher" || role === "admin") && (
                <>
                  <Link href="/datasets">Datasets</Link>
                  <Link href="/models">Models</Link>
                </>
              )}
              <Link href="/api/v1/openapi.json">API</Link>
            </nav>
            <SearchBox />
            <AccountMenu principal={principal} />
          </div>
        </header>
        <main className="main">{children}</main>
        <footer className="footer">
          Arbor · WordNet 3.0 nouns (Princeton University) · ImageNet-style datasets, open source
        </footer>
      </body>
    </html>
  );
}
