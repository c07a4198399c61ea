import { normalizedSubmissionSha256 } from "@arbor/core";
import { type Db, Prisma } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import type { BlobStore } from "@arbor/storage";
import { conflict, invalid, parseInput } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertPhaseHost } from "./challenge-access.ts";
import { type BaselineRegistered, type RegisterBaselineInput, registerBaselineSchema } from "./host-schemas.ts";
import { newInviteCode } from "./invite-code.ts";
import { BASELINE_TEAM_PREFIX } from "./join-challenge.ts";
import { scoreSubmissionJob } from "./score-submission-job.ts";
import { checkSubmissionFile, refusal, storeSubmissionContent, submissionBytes } from "./submit-to-phase.ts";

/**
 * The host registers a registry model's predictions as a baseline of a phase: stored and scored like a
 * participant's submission (the same checks, the same precise refusal of a malformed file, the same blob and
 * scoring job), under the team `baseline: <model name>` (made on first use, with no members, marked
 * `baseline`), without quota, with the model recorded. Baselines are shown on the boards but never ranked,
 * and are never late (a reference point, not a competitor). The same file again answers the earlier one.
 */
export async function registerBaseline(
  services: { db: Db; blobs: BlobStore; jobs: JobQueue },
  phaseId: number,
  input: RegisterBaselineInput,
  actor: Actor,
  options: { now?: Date } = {},
): Promise<BaselineRegistered> {
  const { db, blobs, jobs } = services;
  const p = parseInput(registerBaselineSchema, input);
  const bytes = submissionBytes(p.content);
  const phase = await assertPhaseHost(db, phaseId, actor);
  const model = await db.model.findUnique({ where: { id: p.modelId }, select: { id: true, name: true } });
  if (!model) throw invalid(`modelId: no model ${p.modelId} in the registry`);
  const refused = await checkSubmissionFile(db, phase, p.format, p.content);
  if (refused) throw refusal(refused);

  const name = `${BASELINE_TEAM_PREFIX}${model.name}`;
  await db.challengeTeam.createMany({
    data: [{ challengeId: phase.challengeId, name, baseline: true, inviteCode: newInviteCode() }],
    skipDuplicates: true,
  });
  const team = await db.challengeTeam.findUniqueOrThrow({
    where: { challengeId_name: { challengeId: phase.challengeId, name } },
    select: { id: true, name: true, baseline: true },
  });
  if (!team.baseline) throw conflict(`a participant's team is named ${JSON.stringify(name)}: rename the model`);
  const key = { phaseId, teamId: team.id, sha256: normalizedSubmissionSha256(p.content) };
  const answer = (row: { id: number; status: BaselineRegistered["status"] }, duplicate: boolean) => ({
    id: row.id,
    status: row.status,
    sha256: key.sha256,
    duplicate,
    teamId: team.id,
    team: team.name,
  });
  const earlier = await db.challengeSubmission.findUnique({ where: { phaseId_teamId_sha256: key } });
  if (earlier) return answer(earlier, true);
  await storeSubmissionContent(blobs, key, p.content);
  const now = options.now ?? new Date();
  let row: { id: number; status: BaselineRegistered["status"] };
  try {
    row = await db.challengeSubmission.create({
      data: {
        ...key,
        submittedById: actor.id,
        format: p.format,
        bytes,
        baselineModelId: model.id,
        createdAt: now,
        updatedAt: now,
        queuedAt: now,
      },
      select: { id: true, status: true },
    });
  } catch (error) {
    // The same file registered at the same moment: that one is the answer (its job is on the way).
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    return answer(await db.challengeSubmission.findUniqueOrThrow({ where: { phaseId_teamId_sha256: key } }), true);
  }
  await jobs.send(scoreSubmissionJob, { submissionId: row.id });
  return answer(row, false);
}
