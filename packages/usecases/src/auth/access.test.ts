import { describe, expect, it } from "vitest";
import { checkAccess, PAGE_POLICY, ROUTE_POLICY } from "./route-policy.ts";
import type { Principal } from "./user-schemas.ts";

const user = (...roles: Principal["roles"]): Principal => ({ id: 1, email: "a@b.c", name: null, roles });

describe("checkAccess", () => {
  it("lets anyone through a public route", () => {
    expect(checkAccess("public", null)).toBe("allowed");
  });
  it("asks anonymous callers to sign in, and checks roles otherwise", () => {
    expect(checkAccess(["admin"], null)).toBe("unauthenticated");
    expect(checkAccess(["admin"], user("annotator"))).toBe("forbidden");
    expect(checkAccess(["admin"], user("annotator", "admin"))).toBe("allowed");
    expect(checkAccess("signed-in", user("researcher"))).toBe("allowed");
    expect(checkAccess("signed-in", null)).toBe("unauthenticated");
  });
});

describe("dataset routes", () => {
  it("let researchers and admins in, and keep annotators out", () => {
    const datasetRoutes = Object.entries(ROUTE_POLICY).filter(([key]) => /\/(datasets|exports)\b/.test(key));
    expect(datasetRoutes.length).toBeGreaterThanOrEqual(8);
    for (const [, access] of datasetRoutes) {
      expect(checkAccess(access, user("researcher"))).toBe("allowed");
      expect(checkAccess(access, user("admin"))).toBe("allowed");
      expect(checkAccess(access, user("annotator"))).toBe("forbidden");
    }
    expect(checkAccess(PAGE_POLICY["/datasets"], user("annotator"))).toBe("forbidden");
    expect(checkAccess(PAGE_POLICY["/datasets"], user("researcher"))).toBe("allowed");
  });
  it("serve presigned blob URLs to anyone (the signature is the authorisation)", () => {
    expect(ROUTE_POLICY["GET /api/v1/blobs/{key}"]).toBe("public");
  });
});

describe("model registry routes", () => {
  it("let researchers and admins register models and push predictions, and keep annotators out", () => {
    const modelRoutes = Object.entries(ROUTE_POLICY).filter(([key]) => /\/models\b/.test(key));
    expect(modelRoutes.map(([key]) => key).sort()).toEqual([
      "GET /api/v1/models",
      "GET /api/v1/models/{id}",
      "GET /api/v1/models/{id}/artifacts",
      "POST /api/v1/models",
      "POST /api/v1/models/{id}/predictions",
      "PUT /api/v1/models/{id}/artifacts/{name}",
    ]);
    for (const [, access] of modelRoutes) {
      expect(checkAccess(access, user("researcher"))).toBe("allowed");
      expect(checkAccess(access, user("admin"))).toBe("allowed");
      expect(checkAccess(access, user("annotator"))).toBe("forbidden");
      expect(checkAccess(access, null)).toBe("unauthenticated");
    }
    expect(checkAccess(PAGE_POLICY["/models"], user("annotator"))).toBe("forbidden");
    expect(checkAccess(PAGE_POLICY["/models"], user("researcher"))).toBe("allowed");
  });
  it("show what models say about an image to whoever may see the image", () => {
    expect(ROUTE_POLICY["GET /api/v1/images/{id}/predictions"]).toBe(ROUTE_POLICY["GET /api/v1/images/{id}"]);
  });
});
