import type { Db } from "@arbor/db";
import { forbidden, notFound, parseInput } from "../errors.ts";
import { newSecretToken } from "./secret-token.ts";
import { type ApiTokenRow, type CreatedApiToken, type NewApiToken, newApiTokenSchema } from "./token-schemas.ts";
import type { Principal } from "./user-schemas.ts";

/** Whose token: a user by id (the API: the caller) or by email (the CLI). */
export type TokenOwner = { userId: number } | { email: string };

/**
 * A new API token, returned once with its secret (only the sha256 is stored). `expiresInDays` absent or null:
 * it never expires. `not-found` for an unknown owner.
 */
export async function createApiToken(db: Db, owner: TokenOwner, input: NewApiToken): Promise<CreatedApiToken> {
  const { name, expiresInDays } = parseInput(newApiTokenSchema, input);
  const user = await findOwner(db, owner);
  const { token, hash } = newSecretToken("at");
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 24 * 3600 * 1000) : null;
  const created = await db.apiToken.create({
    data: { userId: user.id, name, tokenHash: hash, expiresAt },
    select: rowSelect,
  });
  return { ...toRow(created), token };
}

/**
 * API tokens, newest first, revoked and expired ones included (with their state). With an `actor` (the API),
 * a user sees their own, and only an admin may name another user (`forbidden` otherwise); without one (the
 * CLI), everyone's, or one user's by email.
 */
export async function listApiTokens(
  db: Db,
  filter: { userId?: number; email?: string; actor?: Principal } = {},
): Promise<ApiTokenRow[]> {
  const { actor } = filter;
  let userId = filter.userId ?? actor?.id;
  if (actor && userId !== actor.id && !actor.roles.includes("admin")) {
    throw forbidden("only admins may see another user's tokens");
  }
  if (filter.email !== undefined) userId = (await findOwner(db, { email: filter.email })).id;
  else if (userId !== undefined && userId !== actor?.id) await findOwner(db, { userId });
  const rows = await db.apiToken.findMany({
    where: userId === undefined ? {} : { userId },
    orderBy: { id: "desc" },
    select: rowSelect,
  });
  return rows.map((row) => toRow(row));
}

/**
 * Revokes a token for good (it stays listed, as revoked). With an `actor`, their own token, or anyone's for an
 * admin; someone else's is `not-found`, as is an unknown id. Revoking a revoked token changes nothing.
 */
export async function revokeApiToken(db: Db, id: number, actor?: Principal): Promise<ApiTokenRow> {
  const token = await db.apiToken.findUnique({ where: { id }, select: rowSelect });
  if (!token || (actor && token.userId !== actor.id && !actor.roles.includes("admin"))) {
    throw notFound(`no token ${id}`);
  }
  if (token.revokedAt) return toRow(token);
  const revoked = await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: rowSelect });
  return toRow(revoked);
}

const rowSelect = {
  id: true,
  name: true,
  userId: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  user: { select: { email: true } },
} as const;

interface TokenRecord {
  id: number;
  name: string;
  userId: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  user: { email: string };
}

function toRow(token: TokenRecord, now = new Date()): ApiTokenRow {
  return {
    id: token.id,
    name: token.name,
    userId: token.userId,
    email: token.user.email,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    state: token.revokedAt ? "revoked" : token.expiresAt && token.expiresAt <= now ? "expired" : "active",
  };
}

async function findOwner(db: Db, owner: TokenOwner): Promise<{ id: number }> {
  if ("userId" in owner) {
    const user = await db.user.findUnique({ where: { id: owner.userId }, select: { id: true } });
    if (!user) throw notFound(`no user ${owner.userId}`);
    return user;
  }
  const user = await db.user.findUnique({ where: { email: owner.email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw notFound(`no user with the email ${owner.email}`);
  return user;
}
