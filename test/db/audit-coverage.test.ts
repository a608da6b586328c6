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
 * 2. the source is scanned for hand-written writes to audited tables outside `$auditedExecute`
 *    (and for the bulk builders `insertRows`/`updateRow` named with an audited table, which go
 *    through `$auditedInsert`/`$auditedUpdate` instead);
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

/**
 * Hand-written INSERT/UPDATE/DELETE statements on audited tables that are not bookkeeping only, and
 * the bulk builders of db/sql.ts (`insertRows`, `updateRow`) named with an audited table.
 */
export function rawAuditedWrites(text: string): { statement: string; index: number }[] {
  const out: { statement: string; index: number }[] = [];
  for (const m of text.matchAll(/\b(insertRows|updateRow)\(\s*"(\w+)"/g)) {
    if (auditedModel(m[2]!)) out.push({ statement: m[0], index: m.index ?? 0 });
  }
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
    expect(rawAuditedWrites('for (const s of insertRows("Account", rows)) await tx.$executeRaw(s);')).toHaveLength(1);
    expect(rawAuditedWrites('await tx.$executeRaw(updateRow("Deal", u.id, data));')).toHaveLength(1);
    expect(rawAuditedWrites('insertRows("DealStageChange", history)')).toEqual([]);
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

describeEachProvider("recorded raw writes: $auditedExecute, $auditedInsert, $auditedUpdate [%s]", (provider) => {
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

  it("$auditedInsert and $auditedUpdate record a bulk write in a transaction: one event per row, one INSERT of events per call", async () => {
    const t = await createTestDatabase(provider);
    try {
      const p = t.db.prisma;
      const ws = await p.workspace.create({ data: { slackTeamId: "T1" } });
      const u = await p.user.create({ data: { workspaceId: ws.id, slackUserId: "U1", timezone: "UTC" } });
      const at = new Date("2026-12-01T10:00:00.000Z");
      const rows = Array.from({ length: 1_200 }, (_, i) => ({ workspaceId: ws.id, ownerId: u.id, name: `Co ${i}`, nameKey: `co ${i}`, annualValueCents: BigInt(i), externalId: `sf:${i}`, crmModifiedAt: at, createdAt: at, updatedAt: at }));
      const eventInserts = () => t.writes.statementsTo.get("AuditEvent") ?? 0;
      const before = eventInserts();
      const created = await runAs({ kind: "sync", detail: "salesforce", workspaceId: ws.id }, () => p.$transaction((tx) => tx.$auditedInsert("Account", rows)));
      expect(created).toHaveLength(1_200);
      expect(created[7]).toEqual(await p.account.findUniqueOrThrow({ where: { id: Number(created[7]!.id) } }));
      expect(await p.auditEvent.count({ where: { entity: "account", action: "create", actorKind: "sync" } })).toBe(1_200);

      const ids = created.map((r) => Number(r.id));
      const updates = [
        { id: ids[0]!, data: { name: "Renamed", nameKey: "renamed", crmModifiedAt: at, updatedAt: at } },
        // Only bookkeeping: written, but neither counted as an audited write nor recorded.
        { id: ids[1]!, data: { crmModifiedAt: new Date("2026-12-02T00:00:00Z"), updatedAt: at } },
        // Audited columns set to what they were: written, no event.
        { id: ids[2]!, data: { name: "Co 2", updatedAt: at } },
      ];
      const written = await runAs({ kind: "sync", detail: "salesforce" }, () => p.$transaction((tx) => tx.$auditedUpdate("Account", updates)));
      expect(written).toBe(3);
      expect(eventInserts() - before).toBe(2); // 1,200 creates in one statement, the update's event in one
      const events = await new AuditRepository(p).forEntities("account", [String(ids[0]), String(ids[1]), String(ids[2])]);
      expect(events.filter((e) => e.action === "update").map((e) => [e.entityId, e.changes])).toEqual([[String(ids[0]), { name: ["Co 0", "Renamed"], nameKey: ["co 0", "renamed"] }]]);
      expect((await p.account.findUniqueOrThrow({ where: { id: ids[1]! } })).crmModifiedAt).toEqual(new Date("2026-12-02T00:00:00Z"));
      expect(t.audit.unchanged.get("Account")).toBe(1);
    } finally {
      await t.drop();
    }
  });
});
