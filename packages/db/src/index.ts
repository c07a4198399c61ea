export { createDb, type Db, type DbOrTx, getDatabase, getDb, type Tx } from "./client.ts";
export { type DatabaseHandle, openDatabase } from "./connection.ts";
export { copyOut, copyOutLines, inlineSql } from "./copy-out.ts";
export { type EmbeddedServer, startEmbeddedServer } from "./embedded/embedded-server.ts";
export { dbEnv } from "./env.ts";
export { EdgeKind, Prisma, Role } from "./generated/prisma/client.ts";
export { freePort } from "./net/free-port.ts";
