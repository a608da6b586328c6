import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Messages between the benchmark and its child processes. */
export interface IpcMessage {
  id?: number;
  type: string;
  [key: string]: unknown;
}

export interface Child {
  process: ChildProcess;
  /** Sends a request and resolves with the child's reply (same id). */
  request(type: string, body?: Record<string, unknown>, timeoutMs?: number): Promise<IpcMessage>;
  /** Resolves with the first message of this type the child sends on its own. */
  next(type: string, timeoutMs?: number): Promise<IpcMessage>;
  /** Resolves when the child has exited. */
  exited: Promise<number | null>;
  stderr(): string;
}

/** Forks a TypeScript child (run through tsx) with an IPC channel. */
export function forkChild(script: URL, env: Record<string, string>, execArgv: string[] = []): Child {
  let err = "";
  const proc = fork(fileURLToPath(script), [], {
    // BENCH_PROFILE_DIR=/tmp/prof: every child writes a V8 CPU profile there (to find hot spots).
    execArgv: ["--import", "tsx", ...execArgv, ...(process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [])],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "pipe", "ipc"],
    // structured clone: BigInt arguments and Maps survive the trip.
    serialization: "advanced",
  });
  proc.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  let seq = 0;
  const waiters = new Map<number, (m: IpcMessage) => void>();
  const typeWaiters: { type: string; resolve: (m: IpcMessage) => void }[] = [];
  const unclaimed: IpcMessage[] = [];
  proc.on("message", (raw) => {
    const m = raw as IpcMessage;
    if (m.id !== undefined && waiters.has(m.id)) {
      waiters.get(m.id)?.(m);
      waiters.delete(m.id);
      return;
    }
    const i = typeWaiters.findIndex((w) => w.type === m.type);
    if (i >= 0) typeWaiters.splice(i, 1)[0]?.resolve(m);
    else unclaimed.push(m);
  });
  const failOnExit = <T>(p: Promise<T>, what: string, timeoutMs: number): Promise<T> =>
    Promise.race([
      p,
      exited.then((code) => {
        throw new Error(`child ${script.pathname} exited (${code}) while waiting for ${what}\n${err.slice(-4000)}`);
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`child ${script.pathname}: no ${what} within ${timeoutMs} ms\n${err.slice(-4000)}`)), timeoutMs).unref()),
    ]);
  return {
    process: proc,
    exited,
    stderr: () => err,
    request(type, body = {}, timeoutMs = 600_000) {
      const id = ++seq;
      const p = new Promise<IpcMessage>((resolve) => waiters.set(id, resolve));
      proc.send({ id, type, ...body });
      return failOnExit(p, `reply to ${type}`, timeoutMs);
    },
    next(type, timeoutMs = 600_000) {
      const i = unclaimed.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(unclaimed.splice(i, 1)[0]!);
      const p = new Promise<IpcMessage>((resolve) => typeWaiters.push({ type, resolve }));
      return failOnExit(p, `"${type}" message`, timeoutMs);
    },
  };
}

/** In a child: answers requests from the parent. */
export function serve(handlers: Record<string, (m: IpcMessage) => Promise<Record<string, unknown>> | Record<string, unknown>>): void {
  process.on("message", (raw) => {
    const m = raw as IpcMessage;
    const handler = handlers[m.type];
    if (!handler) return;
    Promise.resolve(handler(m)).then(
      (reply) => process.send?.({ id: m.id, type: m.type, ...reply }),
      (error: unknown) => process.send?.({ id: m.id, type: m.type, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}
