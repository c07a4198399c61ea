import { detectSubmissionFormat, SUBMISSION_FORMATS, type SubmissionFormat } from "@arbor/core";
import {
  idParams,
  listMySubmissions,
  MAX_SUBMISSION_BYTES,
  mySubmissionsSchema,
  submissionAcceptedSchema,
  submitToPhase,
  UseCaseError,
} from "@arbor/usecases";
import { z } from "zod";
import { textBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "signed-in",
  summary:
    "The caller's team's submissions to a phase, newest first, with its remaining quota (private scores only once the phase has ended)",
  params: idParams("phase"),
  responses: {
    200: ok(mySubmissionsSchema, "the team's submissions and quota"),
    403: "the caller takes no part in the challenge, or was banned from it",
    404: "no such phase",
  },
  handler: async ({ params, services, principal }) => listMySubmissions(services.db, params.id, principal),
});

const formats = SUBMISSION_FORMATS.join("|");

export const POST = defineRoute({
  access: "signed-in",
  summary: "Submit predictions to a running phase: the file itself is the body",
  description:
    "The file is checked first: a malformed one is refused with every problem (it uses no quota, but counts toward the daily failure cap). The same file again answers the earlier submission. Accepted files are scored by the worker; see GET for the scores.",
  params: idParams("phase"),
  query: z.object({
    format: z
      .enum(SUBMISSION_FORMATS as [SubmissionFormat, ...SubmissionFormat[]])
      .optional()
      .meta({ description: `${formats}; default: recognised from the file's first line` }),
  }),
  body: textBody(
    "text/plain",
    MAX_SUBMISSION_BYTES,
    "devkit (5 class indices per line, in test-image order), CSV (image_id then up to 5 wnids or indices) or JSON lines",
  ),
  responses: {
    200: ok(submissionAcceptedSchema, "accepted (queued for scoring), or the same file submitted before"),
    400: "a malformed file (each problem named by its line), or a format that cannot be recognised",
    403: "the caller takes no part in the challenge, or was banned from it",
    404: "no such phase",
    409: "the phase is not running, or the team has used its total quota",
    413: `the file is over ${MAX_SUBMISSION_BYTES / 1024 / 1024} MB`,
    429: "the team's daily quota or refused-file cap is used up (Retry-After: seconds until UTC midnight)",
  },
  handler: async ({ params, query, body, services, principal }) => {
    if (body.trim() === "") throw new UseCaseError("invalid", "the submission is empty");
    const format = query.format ?? detectSubmissionFormat(body);
    if (format === null)
      throw new UseCaseError(
        "invalid",
        `cannot tell the submission's format from its first line: pass ?format=${formats} (devkit: class indices separated by spaces; csv: image_id,prediction...; jsonl: one JSON object per line)`,
      );
    return submitToPhase(services, { phaseId: params.id, format, content: body }, principal);
  },
});
