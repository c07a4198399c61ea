export { getAnnotatorPool } from "./annotator-pool.ts";
export { annotatorQualities } from "./annotator-quality.ts";
export {
  type AnnotatorRow,
  annotatorBlockedSchema,
  annotatorListSchema,
  annotatorSchema,
  blockAnnotatorSchema,
} from "./annotator-schemas.ts";
export { type CampaignPolicy, campaignPolicySchema } from "./campaign-policy.ts";
export * from "./campaign-schemas.ts";
export { createCampaigns } from "./create-campaign.ts";
export { getCampaign, listCampaigns } from "./get-campaign.ts";
export { listAnnotators, setAnnotatorBlocked } from "./list-annotators.ts";
export { nextTask } from "./next-task.ts";
export * from "./pool-schemas.ts";
export { requestTask, type TaskRequest } from "./request-task.ts";
export { listReviewQueue, overrideDecision, type ReviewItem } from "./review-queue.ts";
export { submitAnswers } from "./submit-answers.ts";
export { openTaskImage, type TaskImage } from "./task-images.ts";
export * from "./task-schemas.ts";
