import { SUBMISSION_FORMATS } from "@arbor/core";
import { z } from "zod";
import { idSchema } from "../request-params.ts";
import { MAX_CHALLENGE_FILE_CHARS } from "./challenge-schemas.ts";

/** What a challenge's host sends and reads: zod is the one source of the types and of the OpenAPI document. */

/**
 * The JSON body cap of the routes that carry challenge files (a phase's truth, class list and is-a edges; a
 * revised truth; a baseline's submission): ILSVRC-2012's 50,000-line truth with map_clsloc.txt and
 * wordnet.is_a.txt is under 1 MB, a CSV truth keyed by sha256s about 4 MB.
 */
export const MAX_CHALLENGE_REQUEST_BYTES = 32 * 1024 * 1024;

const fileText = (what: string) => z.string().min(1, `${what} is empty`).max(MAX_CHALLENGE_FILE_CHARS);
const submissionFormatSchema = z.enum(SUBMISSION_FORMATS as ["devkit", "csv", "jsonl"]);
const reasonSchema = z.string().trim().min(1, "give a reason").max(500);

export const updateChallengeSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(100_000).optional(),
    openSignUp: z.boolean().optional(),
    teamSizeLimit: z.number().int().min(1).max(100).optional(),
    status: z.enum(["open", "closed"]).optional(),
    /** The exports published to the participants (replaces the list; [] publishes none). */
    exportIds: z.array(idSchema("export")).max(100).optional(),
  })
  .strict()
  .meta({ id: "UpdateChallenge" });
export type UpdateChallengeInput = z.input<typeof updateChallengeSchema>;

export const challengeUpdatedSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string(),
    openSignUp: z.boolean(),
    teamSizeLimit: z.number().int(),
    status: z.enum(["open", "closed"]),
    exportIds: z.array(z.number().int()),
  })
  .meta({ id: "ChallengeUpdated" });
export type ChallengeUpdated = z.infer<typeof challengeUpdatedSchema>;

export const phaseReleasedSchema = z
  .object({
    phaseId: z.number().int(),
    releasedAt: z.string(),
    images: z.number().int().meta({ description: "test images no longer reserved (0 for an uploaded truth)" }),
  })
  .meta({ id: "ChallengePhaseReleased" });
export type PhaseReleased = z.infer<typeof phaseReleasedSchema>;

export const reviseTruthSchema = z
  .object({
    /**
     * The corrected ground truth, in the phase's format: devkit for a devkit phase, CSV `image_id,wnid` for a
     * CSV phase, and for a phase made from a dataset version CSV keyed by the split's dataset image ids.
     */
    text: fileText("the ground truth"),
    format: z.enum(["devkit", "csv"]),
    /** Optional: it must be the phase's class list (a revision corrects labels, never the classes). */
    classList: fileText("the class list").optional(),
  })
  .meta({ id: "ReviseChallengeTruth" });
export type ReviseTruthInput = z.input<typeof reviseTruthSchema>;

export const truthRevisedSchema = z
  .object({
    revision: z.number().int(),
    requeued: z.number().int().meta({ description: "submissions queued to be scored again at this revision" }),
  })
  .meta({ id: "ChallengeTruthRevised" });
export type TruthRevised = z.infer<typeof truthRevisedSchema>;

export const registerBaselineSchema = z
  .object({
    modelId: idSchema("model"),
    format: submissionFormatSchema,
    content: z.string().min(1, "the submission is empty"),
  })
  .meta({ id: "RegisterChallengeBaseline" });
export type RegisterBaselineInput = z.input<typeof registerBaselineSchema>;

export const baselineRegisteredSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(["queued", "scoring", "scored", "failed"]),
    sha256: z.string(),
    duplicate: z.boolean().meta({ description: "the same file was registered for this model before" }),
    teamId: z.number().int(),
    team: z.string(),
  })
  .meta({ id: "ChallengeBaselineRegistered" });
export type BaselineRegistered = z.infer<typeof baselineRegisteredSchema>;

export const banSchema = z
  .object({ userId: idSchema("user"), reason: reasonSchema })
  .meta({ id: "ChallengeBanRequest" });
export type BanInput = z.input<typeof banSchema>;

export const unbanSchema = z.object({ userId: idSchema("user") }).meta({ id: "ChallengeUnbanRequest" });
export type UnbanInput = z.input<typeof unbanSchema>;

export const challengeBanSchema = z
  .object({
    challengeId: z.number().int(),
    userId: z.number().int(),
    reason: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "ChallengeBan" });
export type ChallengeBanAnswer = z.infer<typeof challengeBanSchema>;

export const challengeUnbannedSchema = z
  .object({ challengeId: z.number().int(), userId: z.number().int(), banned: z.literal(false) })
  .meta({ id: "ChallengeUnbanned" });
export type ChallengeUnbanned = z.infer<typeof challengeUnbannedSchema>;

export const flagSubmissionSchema = z
  .object({ reason: reasonSchema.nullable().meta({ description: "why it is left off the boards; null clears" }) })
  .meta({ id: "FlagChallengeSubmission" });
export type FlagSubmissionInput = z.input<typeof flagSubmissionSchema>;

export const submissionFlaggedSchema = z
  .object({
    id: z.number().int(),
    flagged: z.boolean(),
    flagReason: z.string().nullable(),
    flaggedAt: z.string().nullable(),
  })
  .meta({ id: "ChallengeSubmissionFlagged" });
export type SubmissionFlagged = z.infer<typeof submissionFlaggedSchema>;

export const leaderboardQuerySchema = z.object({
  board: z
    .enum(["final", "post-challenge"])
    .default("final")
    .meta({ description: "final: the challenge's board; post-challenge: late submissions, after the end" }),
  format: z.enum(["json", "csv"]).default("json"),
});

const hostScoresSchema = z
  .object({
    top1: z.number().nullable(),
    top5: z.number().nullable(),
    hier2010: z.number().nullable(),
    hier2011: z.number().nullable(),
  })
  .meta({ id: "ChallengeHostScores" });

export const phaseSubmissionsSchema = z
  .object({
    phaseId: z.number().int(),
    revision: z.number().int().meta({ description: "the ground truth's current revision" }),
    submissions: z.array(
      z.object({
        id: z.number().int(),
        teamId: z.number().int(),
        team: z.string(),
        baseline: z.boolean(),
        baselineModelId: z.number().int().nullable(),
        submittedBy: z.object({ id: z.number().int(), name: z.string().nullable(), email: z.string() }).nullable(),
        createdAt: z.string(),
        format: submissionFormatSchema,
        bytes: z.number().int(),
        sha256: z.string(),
        status: z.enum(["queued", "scoring", "scored", "failed"]),
        counted: z.boolean().meta({ description: "false: a malformed file, refused when it was sent" }),
        failureReason: z.string().nullable(),
        late: z.boolean(),
        selectedForFinal: z.boolean(),
        flagged: z.boolean(),
        flagReason: z.string().nullable(),
        truthRevision: z.number().int().nullable(),
        publicScores: hostScoresSchema,
        privateScores: hostScoresSchema,
      }),
    ),
  })
  .meta({ id: "ChallengePhaseSubmissions" });
export type PhaseSubmissions = z.infer<typeof phaseSubmissionsSchema>;

export const scoreHistorySchema = z
  .array(
    z.object({
      submissionId: z.number().int(),
      teamId: z.number().int(),
      team: z.string(),
      submittedAt: z.string(),
      top5: z.number(),
      top1: z.number(),
      baseline: z.boolean(),
    }),
  )
  .meta({
    id: "ChallengeScoreHistory",
    description: "public scores over time, oldest first ([] while a hidden-until-end board runs)",
  });
export type ScoreHistory = z.infer<typeof scoreHistorySchema>;
