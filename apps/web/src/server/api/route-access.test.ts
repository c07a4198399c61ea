import { checkAccess, type Principal } from "@arbor/usecases";
import { describe, expect, it } from "vitest";
import type { DefinedRoute } from "./define-route";
import { API_ROUTES } from "./route-index";

const user = (...roles: Principal["roles"]): Principal => ({ id: 1, email: "a@b.c", name: null, roles });

/** Each route's access rule, by "METHOD /path", from the route definitions. */
const access = Object.fromEntries(
  Object.entries(API_ROUTES).flatMap(([path, module]) =>
    Object.entries(module)
      .filter(([, handler]) => (handler as Partial<DefinedRoute>).definition)
      .map(([method, handler]) => [`${method} ${path}`, (handler as DefinedRoute).definition.access]),
  ),
);

describe("who may call the API", () => {
  it("lets researchers and admins, never annotators, at datasets and exports", () => {
    const routes = Object.entries(access).filter(([key]) => /\/(datasets|exports)\b/.test(key));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const [, rule] of routes) {
      expect(checkAccess(rule, user("researcher"))).toBe("allowed");
      expect(checkAccess(rule, user("admin"))).toBe("allowed");
      expect(checkAccess(rule, user("annotator"))).toBe("forbidden");
    }
  });

  it("lets researchers and admins register models and push predictions, and keeps others out", () => {
    // A model's likely label errors belong to the admin review queue (below), not to the registry.
    const routes = Object.entries(access).filter(
      ([key]) => /^\w+ \/models\b/.test(key) && !key.endsWith("/label-errors"),
    );
    expect(routes.map(([key]) => key).sort()).toEqual([
      "GET /models",
      "GET /models/{id}",
      "GET /models/{id}/artifacts",
      "POST /models",
      "POST /models/{id}/predictions",
      "PUT /models/{id}/artifacts/{name}",
    ]);
    for (const [, rule] of routes) {
      expect(checkAccess(rule, user("researcher"))).toBe("allowed");
      expect(checkAccess(rule, user("annotator"))).toBe("forbidden");
      expect(checkAccess(rule, null)).toBe("unauthenticated");
    }
  });

  it("keeps pre-labelling (candidate runs, likely label errors, sending back) to admins, who curate", () => {
    const routes = Object.entries(access).filter(([key]) => /\/(candidate-runs|label-errors)\b/.test(key));
    expect(routes.map(([key]) => key).sort()).toEqual([
      "GET /candidate-runs",
      "GET /candidate-runs/{id}",
      "GET /models/{id}/label-errors",
      "POST /candidate-runs",
      "POST /label-errors/send-back",
    ]);
    for (const [, rule] of routes) {
      expect(checkAccess(rule, user("admin"))).toBe("allowed");
      expect(checkAccess(rule, user("researcher"))).toBe("forbidden");
      expect(checkAccess(rule, user("annotator"))).toBe("forbidden");
      expect(checkAccess(rule, null)).toBe("unauthenticated");
    }
  });

  it("keeps every change of data behind a sign-in, except signing in, open sign-up and the first-run setup", () => {
    const openMutations = Object.entries(access)
      .filter(([key, rule]) => !key.startsWith("GET ") && rule === "public")
      .map(([key]) => key)
      .sort();
    expect(openMutations).toEqual(["POST /auth/login", "POST /auth/logout", "POST /auth/setup", "POST /auth/signup"]);
  });

  it("serves presigned blob URLs to anyone (the signature is the authorisation)", () => {
    expect(access["GET /blobs/{key}"]).toBe("public");
  });
});
