import type { Principal, Role } from "./user-schemas.ts";

/** Who may call a route: anyone, any signed-in user, or users holding one of the roles. */
export type Access = "public" | "signed-in" | readonly Role[];

/**
 * Every API route and who may call it: the one table that route handlers enforce, the OpenAPI document
 * publishes, and the role tests walk (a route missing here fails them). Reading the hierarchy and the
 * images is public, as ImageNet's site was; everything that changes data needs a role.
 */
export const ROUTE_POLICY = {
  "GET /api/v1/health": "public",
  "GET /api/v1/openapi.json": "public",
  "GET /api/v1/stats": "public",
  "GET /api/v1/synsets": "public",
  "GET /api/v1/synsets/{wnid}": "public",
  "GET /api/v1/synsets/{wnid}/children": "public",
  "GET /api/v1/synsets/{wnid}/images": "public",
  "POST /api/v1/synsets/{wnid}/uploads": ["admin"],
  "GET /api/v1/images/{id}": "public",
  "GET /api/v1/images/{id}/thumbnail": "public",
  "GET /api/v1/images/{id}/original": "public",
  "GET /api/v1/images/{id}/predictions": "public",
  "GET /api/v1/ingest-runs": ["admin"],
  "POST /api/v1/ingest-runs": ["admin"],
  "GET /api/v1/ingest-runs/{id}": ["admin"],
  "POST /api/v1/auth/login": "public",
  "POST /api/v1/auth/logout": "public",
  "POST /api/v1/auth/setup": "public",
  "GET /api/v1/auth/me": "signed-in",
  "GET /api/v1/campaigns": ["admin"],
  "POST /api/v1/campaigns": ["admin"],
  "GET /api/v1/campaigns/{id}": ["admin"],
  "POST /api/v1/campaigns/{id}/reviews": ["admin"],
  "GET /api/v1/annotators": ["admin"],
  "POST /api/v1/annotators/{id}/block": ["admin"],
  "GET /api/v1/tasks/next": ["annotator"],
  "POST /api/v1/tasks/{taskId}/answers": ["annotator"],
  "GET /api/v1/datasets": ["researcher", "admin"],
  "POST /api/v1/datasets": ["researcher", "admin"],
  "POST /api/v1/datasets/preview": ["researcher", "admin"],
  "GET /api/v1/datasets/{id}": ["researcher", "admin"],
  "GET /api/v1/datasets/{id}/diff": ["researcher", "admin"],
  "POST /api/v1/datasets/{id}/exports": ["researcher", "admin"],
  "GET /api/v1/exports/{id}": ["researcher", "admin"],
  "GET /api/v1/exports/{id}/files": ["researcher", "admin"],
  "GET /api/v1/models": ["researcher", "admin"],
  "POST /api/v1/models": ["researcher", "admin"],
  "GET /api/v1/models/{id}": ["researcher", "admin"],
  "POST /api/v1/models/{id}/predictions": ["researcher", "admin"],
  "GET /api/v1/models/{id}/artifacts": ["researcher", "admin"],
  "PUT /api/v1/models/{id}/artifacts/{name}": ["researcher", "admin"],
  // The presigned URL's signature is the authorisation (local blob store only; 404 when blobs are in S3).
  "GET /api/v1/blobs/{key}": "public",
} as const satisfies Record<string, Access>;

export type RouteKey = keyof typeof ROUTE_POLICY;

/** Pages and who may open them (the rest of the site is public). */
export const PAGE_POLICY = {
  "/ingest": ["admin"],
  "/label": ["annotator"],
  "/campaigns": ["admin"],
  "/annotators": ["admin"],
  "/datasets": ["researcher", "admin"],
  "/models": ["researcher", "admin"],
} as const satisfies Record<string, Access>;

export type Verdict = "allowed" | "unauthenticated" | "forbidden";

export function checkAccess(access: Access, principal: Principal | null): Verdict {
  if (access === "public") return "allowed";
  if (!principal) return "unauthenticated";
  if (access === "signed-in") return "allowed";
  return access.some((role) => principal.roles.includes(role)) ? "allowed" : "forbidden";
}

export function describeAccess(access: Access): string {
  if (access === "public") return "anyone";
  if (access === "signed-in") return "any signed-in user";
  return `users with the ${access.join(" or ")} role`;
}
