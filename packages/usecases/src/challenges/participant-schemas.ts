import { SUBMISSION_FORMATS } from "@arbor/core";
import { z } from "zod";
import { idSchema, MAX_INT4 } from "../request-params.ts";

/** What a challenge's visitors and participants read: zod is the one source of the types and the OpenAPI document. */

const phaseStateSchema = z
  .enum(["upcoming", "running", "ended"])
  .meta({ description: "where the phase stands now (its end is exclusive)" });

const submissionFormatSchema = z.enum(SUBMISSION_FORMATS as ["devkit", "csv", "jsonl"]);

export const challengeSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    status: z.enum(["open", "closed"]),
    openSignUp: z.boolean(),
    teamSizeLimit: z.number().int(),
    createdAt: z.string(),
    phases: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        startsAt: z.string(),
        endsAt: z.string(),
        state: phaseStateSchema,
      }),
    ),
    joined: z.boolean().meta({ description: "the caller takes part (is on a team)" }),
    hosting: z.boolean().meta({ description: "the caller may run it (its owner or an admin)" }),
  })
  .meta({ id: "ChallengeSummary" });
export type ChallengeSummary = z.infer<typeof challengeSummarySchema>;

export const challengeListSchema = z.object({ items: z.array(challengeSummarySchema) }).meta({ id: "ChallengeList" });

export const challengePhaseDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    state: phaseStateSchema,
    dailyQuota: z.number().int(),
    totalQuota: z.number().int(),
    failureDailyCap: z.number().int(),
    leaderboard: z.enum(["public", "hidden_until_end"]),
    publicFraction: z.number(),
    images: z.number().int().meta({ description: "test images (the current revision of the ground truth)" }),
    classes: z.number().int(),
    classesPublished: z.boolean().meta({ description: "the class list (and its indices) may be downloaded" }),
    hierarchical: z.boolean().meta({ description: "hierarchical (is-a) scores are computed" }),
    truthRevision: z.number().int(),
    postChallenge: z.boolean().meta({ description: "late submissions are scored on a post-challenge board" }),
    truthSource: z.enum(["version", "upload"]).meta({
      description: "version: the test images can be downloaded here; upload: the host distributes them",
    }),
    released: z.boolean().meta({ description: "the host released the phase's hidden images" }),
  })
  .meta({ id: "ChallengePhaseDetail" });
export type ChallengePhaseDetail = z.infer<typeof challengePhaseDetailSchema>;

export const challengeDetailSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string().meta({ description: "Markdown: the rules participants accept when they join" }),
    status: z.enum(["open", "closed"]),
    openSignUp: z.boolean(),
    teamSizeLimit: z.number().int(),
    host: z.object({ name: z.string() }).nullable().meta({ description: "null: run by the operator" }),
    hosting: z.boolean(),
    banned: z.boolean().meta({ description: "the caller was banned from this challenge" }),
    membership: z
      .object({
        teamId: z.number().int(),
        teamName: z.string(),
        inviteCode: z.string().meta({ description: "what a teammate enters to join this team" }),
        members: z.array(z.string()).meta({ description: "the team's members by name, in the order they joined" }),
        acceptedRulesAt: z.string(),
      })
      .nullable(),
    phases: z.array(challengePhaseDetailSchema),
    exports: z
      .array(
        z.object({
          id: z.number().int(),
          format: z.enum(["imagefolder", "jsonl", "webdataset"]),
          versionId: z.number().int(),
          status: z.enum(["queued", "running", "succeeded", "failed"]),
        }),
      )
      .meta({ description: "dataset exports the host published to the participants" }),
  })
  .meta({ id: "ChallengeDetail" });
export type ChallengeDetail = z.infer<typeof challengeDetailSchema>;

const submissionScoresSchema = z
  .object({ top1: z.number(), top5: z.number(), hier2010: z.number().nullable(), hier2011: z.number().nullable() })
  .meta({ id: "ChallengeSubmissionScores" });
export type SubmissionScores = z.infer<typeof submissionScoresSchema>;

export const mySubmissionsSchema = z
  .object({
    phaseId: z.number().int(),
    ended: z.boolean(),
    quota: z.object({
      remainingToday: z.number().int(),
      remainingTotal: z.number().int(),
      nextSlotAt: z.string().nullable().meta({ description: "when the next submission is taken (none left today)" }),
      failuresToday: z.number().int().meta({ description: "refused files today (UTC)" }),
      failureDailyCap: z.number().int(),
    }),
    submissions: z.array(
      z.object({
        id: z.number().int(),
        createdAt: z.string(),
        format: submissionFormatSchema,
        bytes: z.number().int(),
        status: z.enum(["queued", "scoring", "scored", "failed"]),
        failureReason: z.string().nullable(),
        sha256: z.string(),
        late: z.boolean(),
        selectedForFinal: z.boolean(),
        flagged: z.boolean(),
        publicScores: submissionScoresSchema.nullable(),
        privateScores: submissionScoresSchema.nullable().meta({ description: "null until the phase has ended" }),
        truthRevision: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: "MySubmissions" });
export type MySubmissions = z.infer<typeof mySubmissionsSchema>;

export const testImagesSchema = z
  .object({
    phaseId: z.number().int(),
    images: z.array(
      z.object({
        position: z.number().int().meta({ description: "1-based: a devkit submission's line number" }),
        imageId: z.string().meta({ description: "the image's id as a submission names it" }),
      }),
    ),
  })
  .meta({ id: "TestImages" });
export type TestImages = z.infer<typeof testImagesSchema>;

/** `{ id, position }` of /phases/{id}/test-images/{position}. */
export const testImageParams = z.object({
  id: idSchema("phase"),
  position: z.coerce.number().int().min(1).max(MAX_INT4).meta({ description: "the test image's 1-based position" }),
});

export const joinChallengeBodySchema = z
  .object({
    acceptRules: z.literal(true, { error: "the challenge's rules must be accepted to join it" }),
    inviteCode: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "join the team with this invite code (a member sees it), while it has room" }),
    teamName: z.string().trim().min(1).max(100).optional().meta({ description: "a new team's name" }),
  })
  .meta({ id: "JoinChallengeBody" });

export const finalSubmissionsBodySchema = z
  .object({ submissionIds: z.array(idSchema("submission")).max(2) })
  .meta({ id: "FinalSubmissionsBody" });

export const finalSubmissionsSelectedSchema = z
  .object({ selected: z.array(z.number().int()) })
  .meta({ id: "FinalSubmissionsSelected" });
