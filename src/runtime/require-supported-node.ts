/**
 * Imported first by every entry point (server, CLI, demo, benchmark). ES modules run their imports
 * in order, so this check runs before any later import loads better-sqlite3 or Prisma, and an old
 * Node gets one plain sentence and exit code 1 instead of a segfault inside a native module.
 */
import { checkNodeVersion } from "./node-version.js";

const verdict = checkNodeVersion(process.version);
if (!verdict.ok) {
  process.stderr.write(`${verdict.message}\n`);
  process.exit(1);
} else if (verdict.warning) {
  process.stderr.write(`warning: ${verdict.warning}\n`);
}
