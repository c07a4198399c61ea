// ILSVRC-style challenges: phases with a hidden ground truth, teams, quota-limited submissions, leaderboards.
export { addPhase } from "./add-phase.ts";
export { banFromChallenge, unbanFromChallenge } from "./ban-from-challenge.ts";
export * from "./challenge-access.ts";
export * from "./challenge-schemas.ts";
export { createChallenge } from "./create-challenge.ts";
export { flagSubmission } from "./flag-submission.ts";
export { getChallenge } from "./get-challenge.ts";
export {
  bannedTeamIds,
  getLeaderboard,
  type LeaderboardBoard,
  leaderboardCsv,
  MAX_FINAL_SUBMISSIONS,
} from "./get-leaderboard.ts";
export { getPhaseClassList } from "./get-phase-class-list.ts";
export { getScoreHistory } from "./get-score-history.ts";
export {
  getSubmissionBreakdown,
  type SubmissionBreakdown,
  submissionBreakdownSchema,
} from "./get-submission-breakdown.ts";
export * from "./host-schemas.ts";
export { joinChallenge } from "./join-challenge.ts";
export { listChallenges } from "./list-challenges.ts";
export { listMySubmissions } from "./list-my-submissions.ts";
export { listPhaseSubmissions } from "./list-phase-submissions.ts";
export { listTestImages, testImagesCsv } from "./list-test-images.ts";
export { openTestImage, openTestImageArchive, type TestImage } from "./open-test-image.ts";
export * from "./participant-schemas.ts";
export { registerBaseline } from "./register-baseline.ts";
export { releasePhase } from "./release-phase.ts";
export { reviseTruth } from "./revise-truth.ts";
export { scoreSubmission } from "./score-submission.ts";
export { scoreSubmissionJob } from "./score-submission-job.ts";
export { selectFinalSubmissions } from "./select-final-submissions.ts";
export { submissionBlobKey, submitToPhase } from "./submit-to-phase.ts";
export { type SubmissionSweep, sweepStuckSubmissions } from "./sweep-stuck-submissions.ts";
export { updateChallenge } from "./update-challenge.ts";
export { phaseUpdatedSchema, type UpdatePhaseInput, updatePhase, updatePhaseSchema } from "./update-phase.ts";
