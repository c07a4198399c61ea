import { createApiToken, createUser, type Role, roleSchema } from "@arbor/usecases";
import type { Command } from "commander";
import { withServices } from "../services.ts";

export function registerUserCommands(program: Command): void {
  program
    .command("user")
    .description("people and their roles")
    .command("create")
    .description("create a user (roles: annotator, admin, researcher; repeat --role for several)")
    .requiredOption("--email <email>")
    .requiredOption("--password <password>", "at least 10 characters")
    .option("--role <role>", "annotator | admin | researcher (repeatable)", collect, [])
    .option("--name <name>")
    .action(async (flags: { email: string; password: string; role: string[]; name?: string }) => {
      const roles: Role[] = (flags.role.length ? flags.role : ["annotator"]).map((r) => roleSchema.parse(r));
      const user = await withServices(({ db }) =>
        createUser(db, { email: flags.email, password: flags.password, roles, name: flags.name }),
      );
      console.log(`created ${user.email} (${user.roles.join(", ")})`);
    });

  program
    .command("token")
    .description("API tokens for the CLI and the training package")
    .command("create")
    .description("create an API token for a user; it is printed once (send it as Authorization: Bearer <token>)")
    .requiredOption("--email <email>")
    .option("--name <name>", "what the token is for", "cli")
    .action(async (flags: { email: string; name: string }) => {
      console.log(await withServices(({ db }) => createApiToken(db, flags.email, flags.name)));
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
