import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { webEnv } from "../src/env.ts";

/** Debian's chromium (never a downloaded browser); CHROMIUM_PATH overrides. */
export function launchChromium(): Promise<Browser> {
  const executablePath = webEnv().chromiumPath ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
  if (!executablePath) throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
