export { freePort } from "../net/free-port.ts";
export { createDatabaseFrom, ensureTemplate } from "./templates.ts";
export { databaseUrl, startTestServer, type TestServer } from "./test-server.ts";
export { type TestDatabase, useTestDatabase } from "./use-test-database.ts";
