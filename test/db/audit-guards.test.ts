import { afterAll, beforeAll, expect, it } from "vitest";
import { FrozenColumnError } from "../../src/db/audit/audited-client.js";
import { sql } from "../../src/db/sql.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * The database itself refuses what the application must never do: change or remove an audit
 * event (no UPDATE, DELETE or TRUNCATE path exists), or edit a gift entry in place. (The audited
 * client refuses a gift edit before it reaches the database, with a clearer message.)
 */
describeEachProvider("audit guards [%s]", (provider) => {
  let t: TestDatabase;
  let giftId: number;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const p = t.db.prisma;
    const ws = await p.workspace.create({ data: { slackTeamId: "T1" } });
    const u = await p.user.create({ data: { workspaceId: ws.id, slackUserId: "U1", timezone: "UTC" } });
    const a = await p.account.create({ data: { workspaceId: ws.id, ownerId: u.id, name: "Acme", nameKey: "acme" } });
    const c = await p.contact.create({ data: { accountId: a.id, name: "Jane Roe", nameKey: "jane roe" } });
    giftId = (
      await p.gift.create({
        data: { workspaceId: ws.id, accountId: a.id, contactId: c.id, userId: u.id, recipientName: "Jane Roe", recipientKey: "jane roe", amountCents: 5000n, givenOn: "2026-12-01", description: "Wine" },
      })
    ).id;
  });
  afterAll(async () => t?.drop());

  it("refuses UPDATE on the audit trail", async () => {
    const before = await t.db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(before.length).toBeGreaterThan(0);
    await expect(t.db.prisma.$executeRaw(sql`UPDATE "AuditEvent" SET "actorKind" = ${"cli"}`)).rejects.toThrow(/append-only/);
    await expect(t.db.prisma.auditEvent.updateMany({ data: { note: "tampered" } })).rejects.toThrow(/append-only/);
    expect(await t.db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("refuses DELETE on the audit trail", async () => {
    const n = await t.db.prisma.auditEvent.count();
    await expect(t.db.prisma.$executeRaw(sql`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(t.db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await t.db.prisma.auditEvent.count()).toBe(n);
  });

  it.runIf(provider === "postgresql")("refuses TRUNCATE on the audit trail", async () => {
    const n = await t.db.prisma.auditEvent.count();
    await expect(t.db.prisma.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await t.db.prisma.auditEvent.count()).toBe(n);
  });

  it("refuses editing a gift entry in place, but lets it be restricted and its contact link go", async () => {
    await expect(t.db.prisma.$executeRaw(sql`UPDATE "Gift" SET "amountCents" = ${1} WHERE "id" = ${giftId}`)).rejects.toThrow(/never edited in place/);
    await expect(t.db.prisma.gift.update({ where: { id: giftId }, data: { description: "Beer" } })).rejects.toBeInstanceOf(FrozenColumnError);
    await expect(t.db.prisma.gift.updateMany({ data: { amountCents: 1n } })).rejects.toBeInstanceOf(FrozenColumnError);
    expect((await t.db.prisma.gift.findUniqueOrThrow({ where: { id: giftId } })).amountCents).toBe(5000n);
    await t.db.prisma.gift.update({ where: { id: giftId }, data: { restrictedAt: new Date(), restrictionReason: "erasure" } });
    await t.db.prisma.contact.deleteMany({});
    expect(await t.db.prisma.gift.findUniqueOrThrow({ where: { id: giftId } })).toMatchObject({ contactId: null, restrictionReason: "erasure", amountCents: 5000n });
  });

  it("the triggers exist after every migration (a later table redefinition would drop them)", async () => {
    const names =
      provider === "sqlite"
        ? (await t.db.prisma.$queryRaw<{ name: string }[]>(sql`SELECT "name" FROM "sqlite_master" WHERE "type" = 'trigger' ORDER BY "name"`)).map((r) => r.name)
        : (await t.db.prisma.$queryRaw<{ name: string }[]>(sql`SELECT DISTINCT "trigger_name"::text AS "name" FROM "information_schema"."triggers" ORDER BY 1`)).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(provider === "sqlite" ? ["AuditEvent_no_delete", "AuditEvent_no_update", "Gift_never_edited"] : ["AuditEvent_append_only", "Gift_never_edited"]));
    if (provider === "postgresql") {
      const truncate = await t.db.prisma.$queryRaw<{ n: bigint }[]>(sql`SELECT COUNT(*) AS "n" FROM "pg_trigger" WHERE "tgname" = 'AuditEvent_no_truncate'`);
      expect(Number(truncate[0]!.n)).toBe(1);
    }
  });
});
