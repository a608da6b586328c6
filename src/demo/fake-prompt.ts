import { createInterface } from "node:readline";

/**
 * The prompt of `npm run fake-salesforce` and `npm run fake-hubspot`: one line at a time, words
 * and `Field="value with spaces"` pairs, until `quit`.
 */

/** Words of a prompt line; `"…"` and `Field="…"` stay one word each. */
export function promptWords(line: string): string[] {
  return [...line.matchAll(/(?:[^\s"=]+=)?"[^"]*"|\S+/g)].map((m) => m[0]);
}

export function unquote(v: string): string {
  return v.replace(/^"(.*)"$/, "$1");
}

/** The `Field=value` pairs of a line, each value as `parse` reads it (it sees the raw, quoted text). */
export function promptFields<T>(words: string[], parse: (raw: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const a of words) {
    const eq = a.indexOf("=");
    if (eq > 0) out[a.slice(0, eq)] = parse(a.slice(eq + 1));
  }
  return out;
}

/** Prints `intro`, then answers each line with `run` until `quit` or end of input, then `stop`s. */
export function runPrompt(intro: string, prompt: string, run: (line: string) => string, stop: () => Promise<void>): void {
  process.stdout.write(intro);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt });
  rl.prompt();
  rl.on("line", (line) => {
    if (line.trim() === "quit") rl.close();
    else {
      process.stdout.write(run(line) + "\n");
      rl.prompt();
    }
  });
  rl.on("close", () => void stop().then(() => process.exit(0)));
}
