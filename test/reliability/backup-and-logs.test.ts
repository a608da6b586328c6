import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { openDatabase } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase } from "../support/test-database.js";

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env } };
}

describe("ae-assistant backup [sqlite]", () => {
  it("writes an online, consistent copy that restores with every row, while writes continue", async () => {
    const t = await createTestDatabase("sqlite");
    try {
      const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: "TBACKUP" } });
      const owner = await t.db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: "U1", timezone: "UTC" } });
      await t.db.prisma.account.createMany({
        data: Array.from({ length: 500 }, (_, i) => ({ workspaceId: ws.id, ownerId: owner.id, name: `Acct ${i}`, nameKey: `acct ${i}` })),
      });
      const file = join(mkdtempSync(join(tmpdir(), "ae-backup-")), "backup.db");
      // A writer keeps going while the backup runs: the copy must still be a consistent snapshot.
      let writing = true;
      const writer = (async () => {
        let i = 0;
        while (writing) {
          await t.db.prisma.account.create({ data: { workspaceId: ws.id, ownerId: owner.id, name: `Live ${i}`, nameKey: `live ${i++}` } });
        }
      })();
      const c = io({ DATABASE_URL: t.url });
      const code = await runCli(["backup", file], c.io);
      writing = false;
      await writer;
      expect(c.err).toEqual([]);
      expect(code).toBe(0);
      const restored = await openDatabase(`file:${file}`);
      try {
        const count = await restored.prisma.account.count();
        expect(count).toBeGreaterThanOrEqual(500);
        expect(await restored.prisma.workspace.findUnique({ where: { slackTeamId: "TBACKUP" } })).not.toBeNull();
        const integrity = await restored.prisma.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
        expect(integrity[0].integrity_check).toBe("ok");
      } finally {
        await restored.close();
      }
      // Refuses to overwrite without --force.
      expect(await runCli(["backup", file], io({ DATABASE_URL: t.url }).io)).toBe(1);
    } finally {
      await t.drop();
    }
  });
});

describe("secrets never reach the logs", () => {
  it("redacts configured secrets and any Slack token shape, in messages and in errors", () => {
    const lines: string[] = [];
    const log = createLogger("debug", (l) => lines.push(l), ["my-signing-secret-value"]);
    log.info("token xoxb-1234-5678-abcdefghij and app token xapp-1-A111-222-abcdef");
    log.error("failed", new Error("bad secret my-signing-secret-value in request"));
    log.warn({ headers: { authorization: "Bearer xoxb-9999-8888-zzzzzzzz" } });
    log.addSecrets(["late-added-secret"]);
    log.debug("late-added-secret appears");
    const all = lines.join("\n");
    expect(lines).toHaveLength(4);
    expect(all).not.toMatch(/xox[bp]-\d/);
    expect(all).not.toContain("xapp-1-A111");
    expect(all).not.toContain("my-signing-secret-value");
    expect(all).not.toContain("late-added-secret");
    expect(all.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it("honours the level", () => {
    const lines: string[] = [];
    const log = createLogger("warn", (l) => lines.push(l));
    log.info("hidden");
    log.warn("shown");
    expect(lines).toHaveLength(1);
  });
});
