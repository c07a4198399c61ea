import { DEFAULT_PUBLIC_FRACTION, SUBMISSION_FORMATS, splitSchema } from "@arbor/core";
import { z } from "zod";
import { idSchema } from "../request-params.ts";

/** API contracts of challenges: zod is the one source of their types and of the OpenAPI document. */

/** A ground truth, class list or is-a file given as text stays under this (ILSVRC-2012's truth: 190 KB). */
export const MAX_CHALLENGE_FILE_CHARS = 64 * 1024 * 1024;
/** A submission's content (ILSVRC-2012 devkit, 5 guesses: about 1 MB). */
export const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;

const fileText = (what: string) => z.string().min(1, `${what} is empty`).max(MAX_CHALLENGE_FILE_CHARS);

export const createChallengeSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(100_000).default(""),
    openSignUp: z.boolean().default(true),
    teamSizeLimit: z.number().int().min(1).max(100).default(1),
  })
  .meta({ id: "CreateChallenge" });
export type CreateChallengeInput = z.input<typeof createChallengeSchema>;

export const challengeCreatedSchema = z.object({ id: z.number().int() }).meta({ id: "ChallengeCreated" });

const truthFromVersionSchema = z.object({
  kind: z.literal("version"),
  versionId: idSchema("dataset version"),
  split: splitSchema,
  /** A class list (map_clsloc.txt) to number the classes by; default: the version's class order. */
  classList: fileText("the class list").optional(),
});

const truthFromUploadSchema = z.object({
  kind: z.literal("upload"),
  text: fileText("the ground truth"),
  format: z.enum(["devkit", "csv"]),
  /** Needed for devkit; optional for CSV (then the classes are its wnids, named by wnid only). */
  classList: fileText("the class list").optional(),
});

/** A phase's fields but its challenge (the route takes that from the path). */
const phaseFields = z.object({
  name: z.string().trim().min(1).max(50),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  dailyQuota: z.number().int().min(1).max(1000).default(5),
  totalQuota: z.number().int().min(1).max(100_000).default(100),
  failureDailyCap: z.number().int().min(1).max(1000).default(20),
  leaderboard: z.enum(["public", "hidden_until_end"]).default("public"),
  publicFraction: z.number().gt(0).lt(1).default(DEFAULT_PUBLIC_FRACTION),
  /** The public/private split's seed; default: random. */
  publicSeed: z.string().min(1).max(100).optional(),
  truth: z.discriminatedUnion("kind", [truthFromVersionSchema, truthFromUploadSchema]),
  /** Is-a edges (`parent child` per line, e.g. wordnet.is_a.txt) for hierarchical scores; optional. */
  isA: fileText("the hierarchy").optional(),
});
const endsAfterStart = (p: { startsAt: Date; endsAt: Date }) => p.endsAt > p.startsAt;
const endsAfterStartError = { message: "the phase must end after it starts", path: ["endsAt"] };

export const addPhaseSchema = phaseFields
  .extend({ challengeId: idSchema("challenge") })
  .refine(endsAfterStart, endsAfterStartError)
  .meta({ id: "AddChallengePhase" });
export type AddPhaseInput = z.input<typeof addPhaseSchema>;

/** POST /challenges/{id}/phases: a phase of the challenge in the path. */
export const addPhaseRequestSchema = phaseFields
  .refine(endsAfterStart, endsAfterStartError)
  .meta({ id: "AddChallengePhaseRequest" });

export const phaseAddedSchema = z
  .object({
    id: z.number().int(),
    images: z.number().int().meta({ description: "test images in the ground truth" }),
    classes: z.number().int(),
    hierarchyFingerprint: z.string().nullable(),
    restrictedImages: z.number().int().meta({ description: "images newly restricted (a version split)" }),
  })
  .meta({ id: "ChallengePhaseAdded" });
export type PhaseAdded = z.infer<typeof phaseAddedSchema>;

export const joinChallengeSchema = z
  .object({
    challengeId: idSchema("challenge"),
    acceptRules: z.literal(true, { error: "the challenge's rules must be accepted to join it" }),
    /** Join the team with this invite code (up to the challenge's team size); default: a new team of one. */
    inviteCode: z.string().trim().min(1).max(64).optional(),
    teamName: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: "JoinChallenge" });
export type JoinChallengeInput = z.input<typeof joinChallengeSchema>;

export const challengeMembershipSchema = z
  .object({
    teamId: z.number().int(),
    teamName: z.string(),
    inviteCode: z.string().meta({ description: "what a teammate enters to join this team" }),
    acceptedRulesAt: z.string(),
  })
  .meta({ id: "ChallengeMembership" });
export type ChallengeMembership = z.infer<typeof challengeMembershipSchema>;

export const submitToPhaseSchema = z
  .object({
    phaseId: idSchema("phase"),
    format: z.enum(SUBMISSION_FORMATS as ["devkit", "csv", "jsonl"]),
    content: z.string().min(1, "the submission is empty"),
    baselineModelId: idSchema("model").optional(),
  })
  .meta({ id: "SubmitToPhase" });
export type SubmitToPhaseInput = z.input<typeof submitToPhaseSchema>;

export const submissionAcceptedSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(["queued", "scoring", "scored", "failed"]),
    sha256: z.string(),
    duplicate: z.boolean().meta({ description: "the same file was submitted before: this is that submission" }),
    remainingToday: z.number().int(),
    remainingTotal: z.number().int(),
    nextSlotAt: z.string().nullable().meta({ description: "when the next submission slot opens (none left today)" }),
  })
  .meta({ id: "ChallengeSubmissionAccepted" });
export type SubmissionAccepted = z.infer<typeof submissionAcceptedSchema>;

export const selectFinalSubmissionsSchema = z
  .object({ phaseId: idSchema("phase"), submissionIds: z.array(idSchema("submission")).max(2) })
  .meta({ id: "SelectFinalSubmissions" });
export type SelectFinalSubmissionsInput = z.input<typeof selectFinalSubmissionsSchema>;

const scoresSchema = z
  .object({ top1: z.number(), top5: z.number(), hier2010: z.number().nullable(), hier2011: z.number().nullable() })
  .meta({ id: "ChallengeScores" });

export const leaderboardSchema = z
  .object({
    phaseId: z.number().int(),
    board: z
      .enum(["final", "post-challenge"])
      .meta({ description: "final: the challenge's board; post-challenge: late submissions, after the end" }),
    ended: z.boolean(),
    scope: z.enum(["public", "private"]).meta({ description: "which test images the scores are over" }),
    hidden: z.boolean().meta({ description: "the phase hides its leaderboard until it ends" }),
    revision: z.number().int().meta({ description: "the ground truth's revision the scores are at" }),
    rescoring: z
      .number()
      .int()
      .meta({ description: "submissions not yet scored at this revision (left off the board meanwhile)" }),
    note: z
      .string()
      .nullable()
      .meta({ description: "why the board is empty (a post-challenge board before the end, or none)" }),
    entries: z.array(
      z.object({
        rank: z.number().int().nullable().meta({ description: "null for a baseline: shown, never ranked" }),
        baseline: z.boolean().meta({ description: "a registry model's submission, registered by the host" }),
        teamId: z.number().int(),
        team: z.string(),
        submissionId: z.number().int(),
        submittedAt: z.string(),
        scores: scoresSchema,
      }),
    ),
  })
  .meta({ id: "ChallengeLeaderboard" });
export type Leaderboard = z.infer<typeof leaderboardSchema>;
