/**
 * Real `node` processes of the app for crash and replica tests: `src/cli/main.ts` or `src/main.ts`
 * run through tsx, with a clean environment (no .env, no inherited Slack settings).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { expect, vi } from "vitest";
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from "./e2e-harness.js";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = fileURLToPath(import.meta.resolve("tsx"));

export interface AppProcess {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment a test process gets: the database, the fake Slack, test credentials. */
export function appEnv(databaseUrl: string, slackApiUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    SLACK_API_URL: slackApiUrl,
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    LOG_LEVEL: "warn",
    ...extra,
  };
}

/** Starts `node --import tsx <script> …args` in the project root. */
export function startTs(script: string, args: string[], env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, ["--import", TSX, script, ...args], { cwd: PROJECT_ROOT, env });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  return { child, out: () => out, err: () => err, exited };
}

/** Runs a CLI command to completion. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  const p = startTs("src/cli/main.ts", args, env);
  const { code } = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits (polling every 25 ms) until `check` is true; fails the test, naming `what`, after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await vi.waitFor(async () => expect(await check(), `timed out after ${timeoutMs} ms waiting for ${what}`).toBe(true), { timeout: timeoutMs, interval: 25 });
}
