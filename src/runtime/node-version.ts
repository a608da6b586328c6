/**
 * Which Node.js lines the bot runs on. Kept free of imports so the entry points can check the
 * runtime before anything loads a native module: better-sqlite3 13 crashes the process on Node 20
 * instead of throwing, so the check has to come first to be able to say anything at all.
 *
 * Keep in step with package.json's `engines.node` and README → Supported Node.js versions.
 */

/** The oldest release of each supported LTS line; any later even line is accepted too. */
const SUPPORTED_LINES: ReadonlyArray<{ major: number; minor: number; endOfLife: string }> = [
  { major: 22, minor: 12, endOfLife: "2027-04-30" },
  { major: 24, minor: 0, endOfLife: "2028-04-30" },
  { major: 26, minor: 0, endOfLife: "2029-04-30" },
];

export const RECOMMENDED_NODE_MAJOR = 26;

export type NodeVersionVerdict =
  | { ok: true; warning?: string }
  | { ok: false; message: string };

function parse(version: string): { major: number; minor: number } | null {
  const m = /^v?(\d+)\.(\d+)\.\d+/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** Decides whether `version` (as in `process.version`) is supported, with the text to show if not. */
export function checkNodeVersion(version: string): NodeVersionVerdict {
  const v = parse(version);
  const lines = SUPPORTED_LINES.map((l) => (l.minor ? `${l.major} (${l.major}.${l.minor} or later)` : String(l.major)));
  const supported = `Node.js ${lines.slice(0, -1).join(", ")} or ${lines.at(-1)} (the LTS lines)`;
  const how = `Node ${RECOMMENDED_NODE_MAJOR} is recommended; \`node --version\` shows what you have. See README.md → "Supported Node.js versions".`;
  if (!v) return { ok: false, message: `AE Assistant could not read the Node.js version "${version}". It needs ${supported}. ${how}` };
  const oldest = SUPPORTED_LINES[0]!;
  if (v.major < oldest.major || (v.major === oldest.major && v.minor < oldest.minor)) {
    return {
      ok: false,
      message: `AE Assistant needs ${supported}, but this is Node.js ${version.replace(/^v/, "")}. ${how}`,
    };
  }
  const line = SUPPORTED_LINES.find((l) => l.major === v.major);
  if (!line && v.major % 2 === 1) {
    // Odd lines are short-lived "Current" releases: they usually work, but nobody tests them.
    return { ok: true, warning: `Node.js ${v.major} is not an LTS line; AE Assistant is tested on ${supported}.` };
  }
  return { ok: true };
}
