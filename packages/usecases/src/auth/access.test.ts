import { describe, expect, it } from "vitest";
import { checkAccess, describeAccess } from "./access.ts";
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

describe("describeAccess", () => {
  it("names who may call, for the 403 message", () => {
    expect(describeAccess("public")).toBe("anyone");
    expect(describeAccess(["researcher", "admin"])).toBe("users with the researcher or admin role");
  });
});
