import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/logo";
import { SearchBox } from "@/components/search-box";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Arbor", template: "%s · Arbor" },
  description: "Build ImageNet-style image datasets on the WordNet hierarchy.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
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
              <Link href="/ingest">Ingest</Link>
              <Link href="/api/v1/openapi.json">API</Link>
            </nav>
            <SearchBox />
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
