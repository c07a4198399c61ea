export { annotatorQualities } from "./annotator-quality.ts";
export { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";
export { CampaignInputError, createCampaigns } from "./create-campaign.ts";
export { type CampaignStats, campaignStatsSchema, getCampaign, listCampaigns } from "./get-campaign.ts";
export { type AnnotatorRow, listAnnotators, setAnnotatorBlocked } from "./list-annotators.ts";
export { nextTask } from "./next-task.ts";
export { listReviewQueue, overrideDecision, type ReviewItem } from "./review-queue.ts";
export { submitAnswers, TaskError } from "./submit-answers.ts";
export { answersSchema, type TaskView, taskSchema } from "./task-schemas.ts";
