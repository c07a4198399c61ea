// Pre-labels from models: candidate runs, likely label errors, sending a link back for votes.
export * from "./candidate-schemas.ts";
export { type CandidateProgress, executeCandidateRun } from "./execute-candidate-run.ts";
export { getCandidateRun } from "./get-candidate-run.ts";
export { listLikelyLabelErrors } from "./likely-label-errors.ts";
export { listCandidateRuns } from "./list-candidate-runs.ts";
export { proposeCandidatesJob } from "./propose-candidates-job.ts";
export { sendBackForVotes } from "./send-back-for-votes.ts";
export { createCandidateRun, startCandidateRun } from "./start-candidate-run.ts";
