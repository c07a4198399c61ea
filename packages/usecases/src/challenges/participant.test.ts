import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Db } from "@arbor/db";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { type BlobStore, LocalDiskStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { streamToBuffer } from "../exports/image-file.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { addPhase } from "./add-phase.ts";
import { createChallenge } from "./create-challenge.ts";
import { getChallenge } from "./get-challenge.ts";
import { getPhaseClassList } from "./get-phase-class-list.ts";
import { joinChallenge } from "./join-challenge.ts";
import { listChallenges } from "./list-challenges.ts";
import { listMySubmissions } from "./list-my-submissions.ts";
import { listTestImages, testImagesCsv } from "./list-test-images.ts";
import { openTestImage, openTestImageArchive } from "./open-test-image.ts";
import { scoreSubmission } from "./score-submission.ts";
import { scoreSubmissionJob } from "./score-submission-job.ts";
import { submitToPhase } from "./submit-to-phase.ts";
import { IDS, kindOf, submission, TRUTH_CSV, WNIDS } from "./toy-challenge-fixtures.ts";

const CLASS_LIST = `${WNIDS.map((w, i) => `${w} ${i + 1} class_${i + 1}`).join("\n")}\n`;

describe("challenges, the participant's side (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  const hour = 3_600_000;
  const jobs = new InlineQueue();
  let blobs: BlobStore;
  let owner: Actor;
  let admin: Actor;
  let pat: Actor;
  let mate: Actor;
  let outsider: Actor;
  let banned: Actor;
  let challengeId: number;
  let phaseId: number;
  let classPhaseId: number;

  const user = async (email: string, roles: Actor["roles"], name: string | null = null): Promise<Actor> =>
    t.db.user.create({
      data: { email, name, passwordHash: "unused", roles: [...roles] },
      select: { id: true, roles: true },
    });
  const csvPhase = async (name: string, extra: Record<string, unknown> = {}) =>
    addPhase(
      t.db,
      {
        challengeId,
        name,
        startsAt: new Date(Date.now() - hour),
        endsAt: new Date(Date.now() + 48 * hour),
        publicSeed: "seed",
        publicFraction: 0.5,
        dailyQuota: 3,
        failureDailyCap: 4,
        truth: { kind: "upload", format: "csv", text: TRUTH_CSV },
        ...extra,
      },
      owner,
    );

  beforeAll(async () => {
    await jobs.work(scoreSubmissionJob, async () => {});
    blobs = new LocalDiskStore(path.join(await mkdtemp(path.join(tmpdir(), "arbor-participant-")), "blobs"), {
      signingSecret: "test",
      publicBaseUrl: "http://x",
    });
    owner = await user("owner@participant.test", ["researcher"], "Olive Host");
    admin = await user("admin@participant.test", ["admin"]);
    pat = await user("pat@participant.test", ["participant"], "Pat");
    mate = await user("mate@participant.test", ["participant"]);
    outsider = await user("outsider@participant.test", ["participant"]);
    banned = await user("banned@participant.test", ["participant"]);
    ({ id: challengeId } = await createChallenge(
      t.db,
      { title: "Toy ILSVRC", description: "# Rules", teamSizeLimit: 2 },
      owner,
    ));
    const team = await joinChallenge(t.db, { challengeId, acceptRules: true, teamName: "Pat's team" }, pat);
    await joinChallenge(t.db, { challengeId, acceptRules: true, inviteCode: team.inviteCode }, mate);
    await joinChallenge(t.db, { challengeId, acceptRules: true }, banned);
    await t.db.challengeBan.create({ data: { challengeId, userId: banned.id as number, reason: "hand labelling" } });
    ({ id: phaseId } = await csvPhase("main"));
    ({ id: classPhaseId } = await csvPhase("with-classes", {
      truth: { kind: "upload", format: "csv", text: TRUTH_CSV, classList: CLASS_LIST },
      startsAt: new Date(Date.now() + 100 * hour),
      endsAt: new Date(Date.now() + 200 * hour),
    }));
  }, 120_000);

  it("lets teammates join by invite code only, up to the team size, and names no team by email", async () => {
    const team = (await getChallenge(t.db, challengeId, pat)).membership;
    expect(team?.inviteCode).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await getChallenge(t.db, challengeId, mate)).membership?.teamId).toBe(team?.teamId);
    const late = await user("late@participant.test", ["participant"]);
    const join = (inviteCode: string) => joinChallenge(t.db, { challengeId, acceptRules: true, inviteCode }, late);
    expect(await join("not-a-code").catch((e) => e.kind)).toBe("not-found");
    expect(await join(team?.inviteCode as string).catch((e) => e.kind)).toBe("conflict"); // full: 2 of 2
    const alone = await joinChallenge(t.db, { challengeId, acceptRules: true }, late);
    expect(alone.teamName).toBe(`participant #${late.id}`);
    expect(alone.inviteCode).not.toBe(team?.inviteCode);
  });

  it("lists challenges for anyone, saying who takes part and who hosts", async () => {
    const find = async (viewer: Actor | null) => {
      const found = (await listChallenges(t.db, viewer)).find((c) => c.id === challengeId);
      if (!found) throw new Error("the challenge is not listed");
      return found;
    };
    const anonymous = await find(null);
    expect(anonymous).toMatchObject({ title: "Toy ILSVRC", status: "open", joined: false, hosting: false });
    expect(anonymous.phases.map((p) => [p.name, p.state])).toEqual([
      ["main", "running"],
      ["with-classes", "upcoming"],
    ]);
    expect(await find(pat)).toMatchObject({ joined: true, hosting: false });
    expect(await find(owner)).toMatchObject({ joined: false, hosting: true });
    expect(await find(admin)).toMatchObject({ joined: false, hosting: true });
    const later = await listChallenges(t.db, null, { now: new Date(Date.now() + 300 * hour) });
    expect(later.find((c) => c.id === challengeId)?.phases.map((p) => p.state)).toEqual(["ended", "ended"]);
  });

  it("shows a challenge's detail: counts, the caller's team by name (never an email), a ban", async () => {
    const anonymous = await getChallenge(t.db, challengeId, null);
    expect(anonymous).toMatchObject({
      host: { name: "Olive Host" },
      hosting: false,
      banned: false,
      membership: null,
      teamSizeLimit: 2,
      exports: [],
    });
    expect(anonymous.phases[0]).toMatchObject({
      name: "main",
      state: "running",
      images: 20,
      classes: 4,
      classesPublished: false,
      hierarchical: false,
      truthRevision: 1,
      truthSource: "upload",
      released: false,
      dailyQuota: 3,
    });
    expect(anonymous.phases[1]).toMatchObject({ name: "with-classes", classesPublished: true, state: "upcoming" });

    const mine = await getChallenge(t.db, challengeId, mate);
    expect(mine.membership).toMatchObject({ teamName: "Pat's team", members: ["Pat", "member #2"] });
    expect(JSON.stringify(mine)).not.toMatch(/@participant\.test/);
    expect(await getChallenge(t.db, challengeId, owner)).toMatchObject({ hosting: true, membership: null });
    expect(await getChallenge(t.db, challengeId, banned)).toMatchObject({ banned: true });
    expect(await kindOf(getChallenge(t.db, 999_999, pat))).toBe("not-found");
  });

  it("lists the team's submissions with its quota, and no private score before the phase ends", async () => {
    const svc = { db: t.db, blobs, jobs };
    const good = await submitToPhase(svc, { phaseId, format: "csv", content: submission(10) }, pat);
    const other = await submitToPhase(svc, { phaseId, format: "csv", content: submission(20) }, mate);
    expect(await kindOf(submitToPhase(svc, { phaseId, format: "csv", content: "nope\n" }, pat))).toBe("invalid");
    for (const s of [good, other]) expect((await scoreSubmission(svc, s.id)).status).toBe("scored");
    const row = await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: good.id } });
    expect(row.privateTop1).not.toBeNull();
    expect(row.privateTop1).not.toBe(row.publicTop1); // so that the checks below can fail

    // What the use-case asks the database for: the private columns are not even selected while it runs.
    const selects: unknown[] = [];
    const spied = new Proxy(t.db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== "challengeSubmission") return value;
        return new Proxy(value, {
          get(model, method, r) {
            const fn = Reflect.get(model, method, r);
            if (method !== "findMany") return fn;
            return (args: { select?: unknown }) => {
              selects.push(args.select);
              return fn.call(model, args);
            };
          },
        });
      },
    }) as Db;
    const running = await listMySubmissions(spied, phaseId, pat);
    expect(selects).toHaveLength(1);
    expect(selects[0]).toMatchObject({ privateTop1: false, privateTop5: false, publicTop1: true });

    expect(running).toMatchObject({
      phaseId,
      ended: false,
      quota: { remainingToday: 1, remainingTotal: 98, nextSlotAt: null, failuresToday: 1, failureDailyCap: 4 },
    });
    // The team's, newest first: the refused file (with its reason), then both members' scored files.
    expect(running.submissions.map((s) => s.status)).toEqual(["failed", "scored", "scored"]);
    expect(running.submissions[0]).toMatchObject({ publicScores: null, privateScores: null, flagged: false });
    expect(running.submissions[0]?.failureReason).toMatch(/line 1/);
    const mineRunning = running.submissions.find((s) => s.id === good.id);
    expect(mineRunning).toMatchObject({ format: "csv", late: false, selectedForFinal: false, truthRevision: 1 });
    expect(mineRunning?.publicScores?.top1).toBe(row.publicTop1);
    for (const s of running.submissions) expect(s.privateScores).toBeNull();
    expect(await listMySubmissions(t.db, phaseId, mate)).toEqual(running);

    const after = await listMySubmissions(t.db, phaseId, pat, { now: new Date(Date.now() + 49 * hour) });
    expect(after.ended).toBe(true);
    const mineAfter = after.submissions.find((s) => s.id === good.id);
    expect(mineAfter?.privateScores).toEqual({
      top1: row.privateTop1,
      top5: row.privateTop5,
      hier2010: null,
      hier2011: null,
    });

    // Members only: the host who takes no part, a stranger, someone banned, an anonymous visitor.
    expect(await kindOf(listMySubmissions(t.db, phaseId, owner))).toBe("forbidden");
    expect(await kindOf(listMySubmissions(t.db, phaseId, outsider))).toBe("forbidden");
    expect(await kindOf(listMySubmissions(t.db, phaseId, banned))).toBe("forbidden");
    expect(await kindOf(listMySubmissions(t.db, phaseId, null))).toBe("unauthenticated");
    expect(await kindOf(listMySubmissions(t.db, 999_999, pat))).toBe("not-found");
  });

  it("says when the next slot opens once today's quota is used", async () => {
    const { id } = await csvPhase("tight", { dailyQuota: 1 });
    await submitToPhase({ db: t.db, blobs, jobs }, { phaseId: id, format: "csv", content: submission(3) }, pat);
    const { quota } = await listMySubmissions(t.db, id, pat);
    expect(quota).toMatchObject({ remainingToday: 0, remainingTotal: 99 });
    expect(quota.nextSlotAt).toMatch(/T00:00:00\.000Z$/);
  });

  it("lists the test images in order, without any class, to members and the host only", async () => {
    const list = await listTestImages(t.db, phaseId, pat);
    expect(list.images).toEqual(IDS.map((imageId, i) => ({ position: i + 1, imageId })));
    for (const image of list.images) expect(Object.keys(image).sort()).toEqual(["imageId", "position"]);
    expect(JSON.stringify(list)).not.toMatch(/n0000001/);
    expect(testImagesCsv(list)).toBe(`position,image_id\n${IDS.map((id, i) => `${i + 1},${id}`).join("\n")}\n`);
    expect((await listTestImages(t.db, phaseId, owner)).images).toHaveLength(20);
    expect((await listTestImages(t.db, phaseId, admin)).images).toHaveLength(20);
    expect(await kindOf(listTestImages(t.db, phaseId, outsider))).toBe("forbidden");
    expect(await kindOf(listTestImages(t.db, phaseId, banned))).toBe("forbidden");
    expect(await kindOf(listTestImages(t.db, phaseId, null))).toBe("unauthenticated");
    expect(await kindOf(listTestImages(t.db, 999_999, pat))).toBe("not-found");
  });

  it("publishes a phase's class list as map_clsloc.txt lines, when the phase has one", async () => {
    expect(await getPhaseClassList(t.db, classPhaseId, null)).toBe(CLASS_LIST);
    const unpublished = getPhaseClassList(t.db, phaseId, pat);
    expect(await kindOf(unpublished)).toBe("not-found");
    await expect(getPhaseClassList(t.db, phaseId, pat)).rejects.toThrow(/publishes no class list/);
    expect(await kindOf(getPhaseClassList(t.db, 999_999, null))).toBe("not-found");
  });

  it("serves a version phase's test images one by one and as a tar, to members only", async () => {
    const { blobs: imageBlobs } = await ingestCifarSubset(t.db, 3);
    const services = { db: t.db, blobs: imageBlobs };
    const version = await createDatasetVersion(
      t.db,
      {
        name: "participant-src",
        classes: { kind: "wnids", wnids: [CIFAR_WNIDS.cat, CIFAR_WNIDS.bird] },
        splits: { mode: "counts", val: 1, test: 2 },
        seed: 1,
      },
      owner,
    );
    const { id: versionPhase, images } = await addPhase(
      t.db,
      {
        challengeId,
        name: "from-version",
        startsAt: new Date(Date.now() - hour),
        endsAt: new Date(Date.now() + hour),
        truth: { kind: "version", versionId: version.id, split: "test" },
      },
      owner,
    );
    expect(images).toBeGreaterThan(1);
    // An export of the version, published to the participants.
    const exported = await t.db.export.create({
      data: { versionId: version.id, format: "imagefolder", options: {}, status: "succeeded" },
    });
    await t.db.challengeExport.create({ data: { challengeId, exportId: exported.id } });
    const detail = await getChallenge(t.db, challengeId, null);
    expect(detail.phases.find((p) => p.id === versionPhase)).toMatchObject({ images, truthSource: "version" });
    expect(detail.exports).toEqual([
      { id: exported.id, format: "imagefolder", versionId: version.id, status: "succeeded" },
    ]);

    const list = await listTestImages(t.db, versionPhase, pat);
    expect(list.images.map((i) => i.position)).toEqual(Array.from({ length: images }, (_, i) => i + 1));
    const originalOf = async (imageId: string) => {
      const image = await t.db.image.findUniqueOrThrow({ where: { id: Number(imageId) } });
      return streamToBuffer(await imageBlobs.getStream(image.originalKey));
    };
    const second = list.images[1] as { position: number; imageId: string };
    const opened = await openTestImage(services, versionPhase, 2, pat);
    expect(opened.contentType).toBe("image/jpeg");
    expect(opened).not.toHaveProperty("etag");
    const bytes = await streamToBuffer(opened.stream);
    expect(bytes.equals(await originalOf(second.imageId))).toBe(true);
    expect(opened.bytes).toBe(bytes.length);
    await openTestImage(services, versionPhase, 1, owner).then((i) => i.stream.destroy());

    expect(await kindOf(openTestImage(services, versionPhase, images + 1, pat))).toBe("not-found");
    expect(await kindOf(openTestImage(services, versionPhase, 1, outsider))).toBe("forbidden");
    expect(await kindOf(openTestImage(services, versionPhase, 1, banned))).toBe("forbidden");
    expect(await kindOf(openTestImage(services, versionPhase, 1, null))).toBe("unauthenticated");
    await expect(openTestImage(services, phaseId, 1, pat)).rejects.toThrow(
      /the host keeps this phase's images elsewhere/,
    );
    expect(await kindOf(openTestImageArchive(services, phaseId, pat))).toBe("not-found");
    expect(await kindOf(openTestImageArchive(services, versionPhase, outsider))).toBe("forbidden");

    // The archive: the list first, then every image as stored, named by position and id; plain tar reads it.
    const chunks: Uint8Array[] = [];
    for await (const chunk of await openTestImageArchive(services, versionPhase, pat)) chunks.push(chunk);
    const dir = await mkdtemp(path.join(tmpdir(), "arbor-test-images-"));
    await writeFile(path.join(dir, "a.tar"), Buffer.concat(chunks));
    const names = execFileSync("tar", ["-tf", "a.tar"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
    const expected = list.images.map((i) => `images/${String(i.position).padStart(6, "0")}-${i.imageId}.jpg`);
    expect(names).toEqual(["test-images.csv", ...expected]);
    execFileSync("tar", ["-xf", "a.tar"], { cwd: dir });
    expect(await readFile(path.join(dir, "test-images.csv"), "utf8")).toBe(testImagesCsv(list));
    expect((await readdir(path.join(dir, "images"))).sort()).toEqual(expected.map((n) => n.slice(7)).sort());
    const first = await readFile(path.join(dir, expected[1] as string));
    expect(first.equals(await originalOf(second.imageId))).toBe(true);
  }, 180_000);
});
