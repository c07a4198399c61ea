import {
  type ApiTokenRow,
  createApiToken,
  createUser,
  listApiTokens,
  MAX_TOKEN_DAYS,
  type Role,
  revokeApiToken,
  roleSchema,
  setUserBlocked,
} from "@arbor/usecases";
import type { Command } from "commander";
import { z } from "zod";
import { withServices } from "../services.ts";

export function registerUserCommands(program: Command): void {
  const user = program.command("user").description("people and their roles");
  user
    .command("create")
    .description("create a user (roles: annotator, admin, researcher; repeat --role for several)")
    .requiredOption("--email <email>")
    .requiredOption("--password <password>", "at least 10 characters, hard to guess (not built from the email or name)")
    .option("--role <role>", "annotator | admin | researcher (repeatable)", collect, [])
    .option("--name <name>")
    .action(async (flags: { email: string; password: string; role: string[]; name?: string }) => {
      const roles: Role[] = (flags.role.length ? flags.role : ["annotator"]).map((r) => roleSchema.parse(r));
      const created = await withServices(({ db }) =>
        createUser(db, { email: flags.email, password: flags.password, roles, name: flags.name }),
      );
      console.log(`created ${created.email} (${created.roles.join(", ")})`);
    });
  user
    .command("block")
    .description("block a user: signs them out and revokes their API tokens for good (not the last admin)")
    .requiredOption("--email <email>")
    .action(async (flags: { email: string }) => {
      const result = await withServices(({ db }) => setUserBlocked(db, { email: flags.email }, true));
      console.log(
        `blocked ${result.email}: ${plural(result.sessionsEnded, "session")} ended, ` +
          `${plural(result.tokensRevoked, "token")} revoked`,
      );
    });
  user
    .command("unblock")
    .description("unblock a user: they may sign in again (their revoked tokens stay revoked)")
    .requiredOption("--email <email>")
    .action(async (flags: { email: string }) => {
      const result = await withServices(({ db }) => setUserBlocked(db, { email: flags.email }, false));
      console.log(`unblocked ${result.email}`);
    });

  const token = program.command("token").description("API tokens for the CLI and the training package");
  token
    .command("create")
    .description("create an API token for a user; it is printed once (send it as Authorization: Bearer <token>)")
    .requiredOption("--email <email>")
    .requiredOption("--name <name>", "what the token is for")
    .option("--expires-days <days>", `days until it stops working (1–${MAX_TOKEN_DAYS}; default: never)`)
    .action(async (flags: { email: string; name: string; expiresDays?: string }) => {
      const expiresInDays =
        flags.expiresDays === undefined
          ? undefined
          : z.coerce
              .number({ error: "--expires-days must be a number of days" })
              .int("--expires-days must be a whole number of days")
              .parse(flags.expiresDays);
      const created = await withServices(({ db }) =>
        createApiToken(db, { email: flags.email }, { name: flags.name, expiresInDays }),
      );
      // The secret alone on stdout (TOKEN=$(arbor token create …)); what it is on stderr.
      console.error(
        `token ${created.id} "${created.name}" for ${created.email}, ` +
          `${created.expiresAt ? `expires ${created.expiresAt}` : "never expires"}`,
      );
      console.log(created.token);
    });
  token
    .command("list")
    .description("list API tokens (all users', or one user's): id, owner, name, created, last used, expires, state")
    .option("--email <email>", "only this user's")
    .action(async (flags: { email?: string }) => {
      const rows = await withServices(({ db }) => listApiTokens(db, { email: flags.email }));
      printTokens(rows);
    });
  token
    .command("revoke")
    .description("revoke an API token for good (its id from `arbor token list`)")
    .argument("<id>", "the token's id")
    .action(async (id: string) => {
      const tokenId = z.coerce
        .number({ error: "the token id is a whole number" })
        .int("the token id is a whole number")
        .min(1, "the token id is a whole number")
        .parse(id);
      const revoked = await withServices(({ db }) => revokeApiToken(db, tokenId));
      console.log(`revoked token ${revoked.id} "${revoked.name}" of ${revoked.email}`);
    });
}

function printTokens(rows: ApiTokenRow[]): void {
  if (rows.length === 0) {
    console.log("no tokens");
    return;
  }
  const day = (iso: string | null, none: string) => (iso ? iso.slice(0, 16).replace("T", " ") : none);
  const table = [
    ["id", "owner", "name", "created", "last used", "expires", "state"],
    ...rows.map((r) => [
      String(r.id),
      r.email,
      r.name,
      day(r.createdAt, ""),
      day(r.lastUsedAt, "never"),
      day(r.expiresAt, "never"),
      r.state,
    ]),
  ];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of table)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    );
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
