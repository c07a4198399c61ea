// ILSVRC-style challenges: phases with a hidden ground truth, teams, quota-limited submissions, leaderboards.
export { addPhase } from "./add-phase.ts";
export * from "./challenge-schemas.ts";
export { createChallenge } from "./create-challenge.ts";
export { getLeaderboard, MAX_FINAL_SUBMISSIONS } from "./get-leaderboard.ts";
export { joinChallenge } from "./join-challenge.ts";
export { scoreSubmission } from "./score-submission.ts";
export { scoreSubmissionJob } from "./score-submission-job.ts";
export { selectFinalSubmissions } from "./select-final-submissions.ts";
export { submissionBlobKey, submitToPhase } from "./submit-to-phase.ts";
export { type SubmissionSweep, sweepStuckSubmissions } from "./sweep-stuck-submissions.ts";
export * from "./challenge-access.ts";
