import { Role } from "@arbor/db";
import { describe, expect, it } from "vitest";
import { ROLES } from "./user-schemas.ts";

describe("ROLES", () => {
  it("lists exactly the database's Role enum (a role added to one list must be added to the other)", () => {
    expect([...ROLES].sort()).toEqual(Object.values(Role).sort());
  });
});
