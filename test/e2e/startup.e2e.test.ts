import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Runs src/main.ts in a clean environment (no .env is read from the temp cwd). */
function start(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), "ae-start-"));
  const r = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(process.cwd(), "src/main.ts")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", NODE_PATH: join(process.cwd(), "node_modules"), ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("startup errors", () => {
  it("with no Slack tokens: one clear message naming each variable and where to get it, exit 1", () => {
    const { code, out } = start({});
    expect(code).toBe(1);
    expect(out).toContain("SLACK_BOT_TOKEN is missing");
    expect(out).toContain("SLACK_APP_TOKEN is missing");
    expect(out).toContain("api.slack.com/apps");
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("with an unreachable DATABASE_URL: one clear message, exit 1, password hidden", () => {
    const { code, out } = start({
      SLACK_BOT_TOKEN: "xoxb-1-2-3",
      SLACK_APP_TOKEN: "xapp-1-2-3",
      DATABASE_URL: "postgresql://ae:hunter2secret@127.0.0.1:1/ae",
    });
    expect(code).toBe(1);
    expect(out).toContain("cannot connect to PostgreSQL");
    expect(out).toContain("DATABASE_URL");
    expect(out).not.toContain("hunter2secret");
    expect(out).not.toMatch(/\n\s+at /);
  });

  it("with a malformed DATABASE_URL: named as invalid, exit 1", () => {
    const { code, out } = start({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", DATABASE_URL: "mysql://x" });
    expect(code).toBe(1);
    expect(out).toContain("DATABASE_URL must start with file:, postgres:// or postgresql://");
  });
});
