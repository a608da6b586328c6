import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MANIFEST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "manifest.yml");

/**
 * The bot scopes declared in manifest.yml, read with a tiny line scan so the CLI needs no YAML
 * dependency at run time (the manifest test parses it properly with a YAML library).
 */
export function requiredBotScopes(file = MANIFEST): string[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const out: string[] = [];
  let inBot = false;
  for (const line of lines) {
    if (/^\s+bot:\s*$/.test(line)) {
      inBot = true;
      continue;
    }
    if (inBot) {
      const m = /^\s+-\s+([a-z:._]+)\s*$/.exec(line);
      if (m) out.push(m[1]);
      else if (line.trim() !== "") break;
    }
  }
  return out;
}
