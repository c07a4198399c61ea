import { describe, expect, it } from "vitest";
import { checkAccess } from "./route-policy.ts";
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
