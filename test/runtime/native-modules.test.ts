import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../support/processes.js";

const require = createRequire(import.meta.url);
const FIXTURE = fileURLToPath(new URL("../fixtures/finalised-statements.mjs", import.meta.url));

describe("better-sqlite3", () => {
  it("is one copy, shared by our code and Prisma's adapter, at major 13 or later", () => {
    const ours = require.resolve("better-sqlite3");
    const adapterRequire = createRequire(require.resolve("@prisma/adapter-better-sqlite3"));
    expect(adapterRequire.resolve("better-sqlite3")).toBe(ours);
    const { version } = require("better-sqlite3/package.json") as { version: string };
    expect(Number(version.split(".")[0])).toBeGreaterThanOrEqual(13);
  });

  it("survives statements finalised by the garbage collector while idle, and a worker exiting with live statements", () => {
    // Before 13 this aborted on Node 24.19+ with exit code 134 (SIGABRT in Statement::~Statement).
    const run = spawnSync(process.execPath, ["--expose-gc", FIXTURE], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
    expect(run.stdout.trim()).toBe("ok 5000");
  });
});
