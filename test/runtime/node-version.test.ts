import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkNodeVersion } from "../../src/runtime/node-version.js";
import { PROJECT_ROOT } from "../support/processes.js";

const TSX = fileURLToPath(import.meta.resolve("tsx"));

describe("checkNodeVersion", () => {
  it.each([
    ["v20.20.2", false, false],
    ["v18.20.8", false, false],
    ["v22.11.0", false, false],
    ["v22.12.0", true, false],
    ["v22.23.3", true, false],
    ["v24.21.0", true, false],
    ["v26.10.0", true, false],
    ["v28.1.0", true, false],
    ["v23.11.0", true, true],
    ["v25.2.1", true, true],
    ["not a version", false, false],
  ])("%s → supported %s, warning %s", (version, ok, warns) => {
    const verdict = checkNodeVersion(version);
    expect(verdict.ok).toBe(ok);
    if (verdict.ok) expect(Boolean(verdict.warning)).toBe(warns);
    else {
      expect(verdict.message).toContain("Node.js 22 (22.12 or later), 24 or 26");
      expect(verdict.message).toContain("Supported Node.js versions");
    }
  });

  it("names the version it found", () => {
    const verdict = checkNodeVersion("v20.20.2");
    expect(verdict.ok ? "" : verdict.message).toContain("this is Node.js 20.20.2");
  });
});

/** A Node binary older than the floor, if this machine has one (Debian's system Node 20 here). */
function oldNode(): string | undefined {
  for (const candidate of [process.env.AE_OLD_NODE, "/usr/bin/node", "/usr/local/bin/node"]) {
    if (!candidate || !existsSync(candidate)) continue;
    const version = spawnSync(candidate, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (!checkNodeVersion(version).ok) return candidate;
  }
  return undefined;
}

const ENTRY_POINTS = ["src/main.ts", "src/cli/main.ts", "src/demo/main.ts"];
const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: "file:./data/never-created.db" };

describe("every entry point refuses an unsupported Node before loading anything native", () => {
  // Pretends to be Node 20 by overriding process.version before the entry point's imports run.
  const pretend20 = `data:text/javascript,Object.defineProperty(process,"version",{value:"v20.20.2"})`;

  it.each(ENTRY_POINTS)("%s (reported version 20.20.2)", (entry) => {
    const run = spawnSync(process.execPath, ["--import", pretend20, "--import", TSX, entry, "doctor"], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("AE Assistant needs Node.js 22 (22.12 or later), 24 or 26");
    expect(run.stdout).toBe("");
  });

  const old = oldNode();
  it.runIf(old)("on a real old Node, each exits 1 with the message, not a crash", () => {
    for (const entry of ENTRY_POINTS) {
      const run = spawnSync(old!, ["--import", TSX, entry, "doctor"], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
      expect({ entry, status: run.status, signal: run.signal }).toEqual({ entry, status: 1, signal: null });
      expect(run.stderr).toMatch(/AE Assistant needs Node\.js 22 .* but this is Node\.js (1|20|21|22\.\d\.)/);
    }
  });
});
