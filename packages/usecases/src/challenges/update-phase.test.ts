import { useTestDatabase } from "@arbor/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { UseCaseError } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { addPhase } from "./add-phase.ts";
import { createChallenge } from "./create-challenge.ts";
import { updatePhase } from "./update-phase.ts";

const TRUTH = "image_id,wnid\na,n00000011\nb,n00000012\n";
const HOUR = 3_600_000;

const kindOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof UseCaseError ? e.kind : String(e)),
  );

describe("updatePhase (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let host: Actor;
  let stranger: Actor;
  let challengeId: number;
  const user = (email: string, roles: Actor["roles"]): Promise<Actor> =>
    t.db.user.create({ data: { email, passwordHash: "unused", roles: [...roles] }, select: { id: true, roles: true } });
  const phase = async (name: string, startsIn: number, endsIn: number) =>
    (
      await addPhase(
        t.db,
        {
          challengeId,
          name,
          startsAt: new Date(Date.now() + startsIn),
          endsAt: new Date(Date.now() + endsIn),
          truth: { kind: "upload", format: "csv", text: TRUTH },
        },
        host,
      )
    ).id;

  beforeAll(async () => {
    host = await user("host@update-phase.test", ["researcher"]);
    stranger = await user("stranger@update-phase.test", ["researcher"]);
    ({ id: challengeId } = await createChallenge(t.db, { title: "Dates" }, host));
  }, 120_000);

  it("ends a running phase now, and then keeps it ended", async () => {
    const id = await phase("running", -HOUR, HOUR);
    expect(await kindOf(updatePhase(t.db, id, { endsAt: "now" }, stranger))).toBe("forbidden");
    const ended = await updatePhase(t.db, id, { endsAt: "now" }, host);
    expect(ended.state).toBe("ended");
    expect(await kindOf(updatePhase(t.db, id, { endsAt: new Date(Date.now() + HOUR) }, host))).toBe("conflict");
    expect(await kindOf(updatePhase(t.db, id, { dailyQuota: 9 }, host))).toBe("conflict");
    expect(await kindOf(updatePhase(t.db, id, { postChallenge: false }, host))).toBe("ok");
    expect((await t.db.challengePhase.findUniqueOrThrow({ where: { id } })).postChallenge).toBe(false);
  });

  it("moves an upcoming phase's dates and quotas, refusing ends in the past or before the start", async () => {
    const id = await phase("upcoming", HOUR, 2 * HOUR);
    const startsAt = new Date(Date.now() + 3 * HOUR);
    const endsAt = new Date(Date.now() + 4 * HOUR);
    expect(await updatePhase(t.db, id, { startsAt, endsAt, dailyQuota: 3 }, host)).toMatchObject({
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      state: "upcoming",
    });
    expect(await kindOf(updatePhase(t.db, id, { endsAt: new Date(Date.now() - HOUR) }, host))).toBe("invalid");
    expect(await kindOf(updatePhase(t.db, id, { endsAt: new Date(Date.now() + 2 * HOUR) }, host))).toBe("invalid");
    expect(await kindOf(updatePhase(t.db, id, { name: "x" } as never, host))).toBe("invalid");
  });

  it("fixes a running phase's start", async () => {
    const id = await phase("started", -HOUR, HOUR);
    expect(await kindOf(updatePhase(t.db, id, { startsAt: new Date() }, host))).toBe("conflict");
    expect(await kindOf(updatePhase(t.db, id, { totalQuota: 50 }, host))).toBe("ok");
  });
});
