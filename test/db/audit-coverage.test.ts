import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuditCounters, AuditRawWriteError } from "../../src/db/audit/audited-client.js";
import { runAs } from "../../src/db/audit/audit-scope.js";
import { openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { AuditRepository } from "../../src/db/repositories/audit-repository.js";
import { sql } from "../../src/db/sql.js";
import { auditedModel, onlyBookkeeping } from "../../src/domain/audit.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase } from "../support/test-database.js";
import { assertEveryWriteAudited, WriteCounter, writeTarget } from "../support/write-counter.js";

/**
 * No change path skips the audit trail. Three layers check it:
 * 1. every test database compares, when it is dropped, the rows written at the driver with the
 *    rows the audit extension saw (test/support/test-database.ts) — across every test;
 * 2. the source is scanned for hand-written writes to audited tables outside `$auditedExecute`;
 * 3. the end-to-end run in test/e2e/audit-coverage.e2e.test.ts compares those counts and the
 *    audit rows after driving every command, form, button and CLI command that writes.
 */

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(path);
    return e.name.endsWith(".ts") ? [{ file: path, text: readFileSync(path, "utf8") }] : [];
  });
}

/** Hand-written INSERT/UPDATE/DELETE statements on audited tables that are not bookkeeping only. */
export function rawAuditedWrites(text: string): { statement: string; index: number }[] {
  const out: { statement: string; index: number }[] = [];
  for (const m of text.matchAll(/(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"(\w+)"[^`]*/g)) {
    const target = writeTarget(m[0]);
    const model = target && auditedModel(target.table);
    if (!model || !target) continue;
    if (target.setColumns && onlyBookkeeping(model, target.setColumns)) continue;
    out.push({ statement: m[0].slice(0, 120), index: m.index ?? 0 });
  }
  return out;
}

describe("hand-written writes to audited tables", () => {
  it("finds them (the check can fail)", () => {
    expect(rawAuditedWrites('db.$executeRaw(sql`UPDATE "Deal" SET "amountCents" = ${1} WHERE "id" = ${2}`)')).toHaveLength(1);
    expect(rawAuditedWrites('db.$executeRaw(sql`DELETE FROM "Gift" WHERE "id" = ${2}`)')).toHaveLength(1);
    expect(rawAuditedWrites('db.$executeRaw(sql`INSERT INTO "Contact" ("name") VALUES (${n})`)')).toHaveLength(1);
    // Bookkeeping only, or a table that is not audited: fine.
    expect(rawAuditedWrites('p.$executeRaw`UPDATE "Account" SET "lastTouchAt" = (SELECT MAX(t."occurredAt") FROM "Touch" t) WHERE "ownerId" = ${rep.id}`')).toEqual([]);
    expect(rawAuditedWrites('sql`UPDATE "Outbox" SET "status" = ${"sent"} WHERE "id" = ${id}`')).toEqual([]);
  });

  it("exist nowhere in src/ except inside $auditedExecute", () => {
    const offenders = sources("src").flatMap(({ file, text }) =>
      rawAuditedWrites(text)
        .filter(({ index }) => {
          const before = text.slice(Math.max(0, index - 400), index);
          const call = before.lastIndexOf("$auditedExecute(");
          return call === -1 || before.slice(call).includes(";");
        })
        .map(({ statement }) => `${file}: ${statement}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the driver-level counter parses what Prisma and hand-written SQL send", () => {
    expect(writeTarget("INSERT INTO `main`.`Account` (`name`) VALUES (?) RETURNING `id`")).toEqual({ table: "Account" });
    expect(writeTarget('INSERT INTO "public"."Deal" ("title") VALUES ($1) RETURNING "id"')).toEqual({ table: "Deal" });
    expect(writeTarget("UPDATE `main`.`Account` SET `lastTouchAt` = ?, `updatedAt` = ? WHERE (`main`.`Account`.`id` = ? AND 1=1)")).toEqual({ table: "Account", setColumns: ["lastTouchAt", "updatedAt"] });
    expect(writeTarget('UPDATE "public"."Deal" SET "stage" = $1 WHERE "id" = $2 RETURNING "id"')).toEqual({ table: "Deal", setColumns: ["stage"] });
    expect(writeTarget('DELETE FROM "Gift" WHERE "id" = $1')).toEqual({ table: "Gift" });
    expect(writeTarget('SELECT * FROM "Account"')).toBeNull();
  });

  it("a raw write to an audited table is caught at the driver", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ae-audit-"));
    const writes = new WriteCounter();
    const audit = new AuditCounters();
    const db = await openDatabase(`file:${join(dir, "t.db")}`, { wrapAdapter: writes.wrap, auditCounters: audit });
    try {
      await migrate(db);
      const ws = await db.prisma.workspace.create({ data: { slackTeamId: "T1" } });
      assertEveryWriteAudited(writes, audit);
      await db.prisma.$executeRaw(sql`UPDATE "Workspace" SET "currency" = ${"EUR"} WHERE "id" = ${ws.id}`);
      expect(() => assertEveryWriteAudited(writes, audit)).toThrow(/Workspace: 2 rows written at the driver, 1 seen by the audit extension/);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeEachProvider("$auditedExecute [%s]", (provider) => {
  it("records a hand-written update like any other write, and refuses one that writes rows it did not name", async () => {
    const t = await createTestDatabase(provider);
    try {
      const p = t.db.prisma;
      const ws = await p.workspace.create({ data: { slackTeamId: "T1" } });
      const u = await p.user.create({ data: { workspaceId: ws.id, slackUserId: "U1", timezone: "UTC" } });
      const [a, b] = await Promise.all(["A", "B"].map((name) => p.account.create({ data: { workspaceId: ws.id, ownerId: u.id, name, nameKey: name.toLowerCase() } })));
      const n = await runAs({ kind: "sync", detail: "test" }, () => p.$auditedExecute("Account", [a!.id], sql`UPDATE "Account" SET "tier" = ${"key"} WHERE "id" = ${a!.id}`));
      expect(n).toBe(1);
      const [e] = (await new AuditRepository(p).forEntities("account", [String(a!.id)])).filter((x) => x.action === "update");
      expect(e).toMatchObject({ actorKind: "sync", changes: { tier: ["standard", "key"] } });
      await expect(p.$auditedExecute("Account", [a!.id], sql`UPDATE "Account" SET "tier" = ${"growth"}`)).rejects.toBeInstanceOf(AuditRawWriteError);
      expect((await p.account.findUniqueOrThrow({ where: { id: b!.id } })).tier).toBe("standard"); // rolled back
    } finally {
      await t.drop();
    }
  });
});
