#!/usr/bin/env node
// Arbor's packages are TypeScript consumed as source; tsx compiles them on the fly.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
