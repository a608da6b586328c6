/**
 * Cold start: `node dist/main.js` in HTTP mode, from spawning the process to the first
 * `GET /healthz` answered 200 (config loaded, database opened and migrations checked, Bolt
 * listening). One unmeasured run first warms the OS file cache, as a restart on a server would find it.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../stats.js";
import { BENCH_BOT_TOKEN, BENCH_SIGNING_SECRET } from "./constants.js";
import type { BenchDatabase } from "./databases.js";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export interface ColdStart {
  runs: number[];
  median: number;
}

/** `npm run build` (tsc → dist/). */
export function build(log: (line: string) => void): void {
  log("  building dist/ (npm run build) …");
  const r = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) log(`  ! npm run build exited ${r.status}: ${(r.stdout + r.stderr).slice(0, 2000)}`);
  if (!existsSync(join(ROOT, "dist", "main.js"))) throw new Error("dist/main.js is missing after the build");
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

async function once(bench: BenchDatabase, slackApiUrl: string): Promise<number> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), "ae-cold-"));
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, "dist", "main.js")], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      SLACK_BOT_TOKEN: BENCH_BOT_TOKEN,
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      PORT: String(port),
      DATABASE_URL: bench.url,
      SLACK_API_URL: slackApiUrl,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dist/main.js exited (${child.exitCode}) before it was ready: ${err.slice(0, 1000)}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return performance.now() - t0;
      if (performance.now() - t0 > 60_000) throw new Error(`dist/main.js not ready within 60 s: ${err.slice(0, 1000)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(killer);
    rmSync(cwd, { recursive: true, force: true });
  }
}

export async function coldStart(bench: BenchDatabase, slackApiUrl: string, runs: number): Promise<ColdStart> {
  await once(bench, slackApiUrl);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once(bench, slackApiUrl));
  return { runs: times, median: median(times) };
}
