import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditNestedWriteError } from "../../src/db/audit/audited-client.js";
import { runAs, withoutValues } from "../../src/db/audit/audit-scope.js";
import { AuditRepository, type AuditEventRecord } from "../../src/db/repositories/audit-repository.js";
import { diffRows, auditedModel } from "../../src/domain/audit.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const AT = new Date("2026-12-08T15:00:00Z");

describe("diffRows", () => {
  const account = auditedModel("Account")!;
  it("lists a created row's non-null audited values, never bookkeeping or the key", () => {
    const d = diffRows(account, null, { id: 1, name: "Acme", tier: "key", industry: null, lastTouchAt: AT, updatedAt: AT, annualValueCents: 5n });
    expect(d).toEqual({ action: "create", fields: ["name", "tier", "annualValueCents"], changes: { name: [null, "Acme"], tier: [null, "key"], annualValueCents: [null, 5] } });
  });
  it("an update that changed only bookkeeping (or nothing) is nothing to record", () => {
    expect(diffRows(account, { id: 1, name: "A", lastTouchAt: null }, { id: 1, name: "A", lastTouchAt: AT })).toBeNull();
  });
  it("an update lists before and after of what changed; dates as ISO, big amounts exact", () => {
    const d = diffRows(auditedModel("Deal")!, { id: 2, expectedCloseAt: AT, amountCents: 9_007_199_254_740_993n }, { id: 2, expectedCloseAt: null, amountCents: 1n });
    expect(d?.changes).toEqual({ expectedCloseAt: [AT.toISOString(), null], amountCents: ["9007199254740993", 1] });
  });
  it("User: only role, Slack admin, deactivation and erasure are audited", () => {
    expect(diffRows(auditedModel("User")!, { id: 3, name: "a", timezone: "x", role: "rep" }, { id: 3, name: "b", timezone: "y", role: "rep" })).toBeNull();
    expect(diffRows(auditedModel("User")!, { id: 3, role: "rep" }, { id: 3, role: "manager" })?.fields).toEqual(["role"]);
  });
});

describeEachProvider("the audit trail [%s]", (provider) => {
  let t: TestDatabase;
  let audit: AuditRepository;
  let wsId: number;
  let userId: number;
  const as = <T>(fn: () => Promise<T>) => runAs({ kind: "slack", userId, workspaceId: wsId }, fn, { now: () => AT });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    audit = new AuditRepository(t.db.prisma);
    const p = t.db.prisma;
    wsId = (await p.workspace.create({ data: { slackTeamId: "T1" } })).id;
    userId = (await p.user.create({ data: { workspaceId: wsId, slackUserId: "U1", timezone: "UTC" } })).id;
  });
  afterAll(async () => t?.drop());

  const eventsOf = async (entity: string, entityId: string): Promise<AuditEventRecord[]> => audit.forEntities(entity, [entityId]);

  it("records a create with who and when, its values encrypted under the record's own key", async () => {
    const a = await as(() => t.db.prisma.account.create({ data: { workspaceId: wsId, ownerId: userId, name: "Acme", nameKey: "acme", tier: "key" } }));
    const [e] = await eventsOf("account", String(a.id));
    expect(e).toMatchObject({ action: "create", actorKind: "slack", actorUserId: userId, workspaceId: wsId, accountId: a.id, at: AT, values: "recorded" });
    expect(e!.changes).toMatchObject({ name: [null, "Acme"], tier: [null, "key"] });
    const raw = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { entity: "account", entityId: String(a.id) } });
    expect(raw.subject).toBe(`account:${a.id}`);
    expect(raw.changes).toMatch(/^v1:/);
    expect(raw.changes).not.toContain("Acme");
  });

  it("records an update's before and after; a write of bookkeeping only records nothing", async () => {
    const a = await t.db.prisma.account.create({ data: { workspaceId: wsId, ownerId: userId, name: "Globex", nameKey: "globex" } });
    await as(() => t.db.prisma.account.update({ where: { id: a.id }, data: { tier: "growth", annualValueCents: 120_000_00n } }));
    await as(() => t.db.prisma.account.update({ where: { id: a.id }, data: { lastTouchAt: AT, snoozedUntil: AT } }));
    await as(() => t.db.prisma.account.update({ where: { id: a.id }, data: { tier: "growth" } })); // no change
    const events = await eventsOf("account", String(a.id));
    expect(events.map((e) => e.action)).toEqual(["create", "update"]);
    expect(events[0]!.actorKind).toBe("unknown"); // written outside any scope: visible as such
    expect(events[1]!.changes).toEqual({ tier: ["standard", "growth"], annualValueCents: [0, 12_000_000] });
  });

  it("updateMany, upsert, delete and deleteMany record each row", async () => {
    const p = t.db.prisma;
    const team = await as(() => p.team.create({ data: { workspaceId: wsId, name: "West", nameKey: "west" } }));
    await as(() => p.teamMember.createMany({ data: [{ teamId: team.id, userId }] }));
    await as(() => p.team.updateMany({ where: { id: team.id }, data: { channelId: "C1" } }));
    await as(() => p.teamMember.deleteMany({ where: { teamId: team.id } }));
    const q1 = await as(() =>
      p.quota.upsert({ where: { userId_periodType_periodStart: { userId, periodType: "quarter", periodStart: "2026-10-01" } }, create: { userId, periodType: "quarter", periodStart: "2026-10-01", amountCents: 100n }, update: { amountCents: 100n } }),
    );
    await as(() => p.quota.upsert({ where: { id: q1.id }, create: { userId, periodType: "quarter", periodStart: "2026-10-01", amountCents: 1n }, update: { amountCents: 200n } }));
    await as(() => p.quota.delete({ where: { id: q1.id } }));
    const teamEvents = await eventsOf("team", String(team.id));
    expect(teamEvents.map((e) => e.action)).toEqual(["create", "update"]);
    expect(teamEvents[0]!.changes).toMatchObject({ name: [null, "West"], workspaceId: [null, wsId] });
    expect(teamEvents[1]!.changes).toEqual({ channelId: [null, "C1"] });
    expect((await eventsOf("team_member", `${team.id}:${userId}`)).map((e) => e.action)).toEqual(["create", "delete"]);
    const quota = await eventsOf("quota", String(q1.id));
    expect(quota.map((e) => [e.action, e.changes?.amountCents])).toEqual([["create", [null, 100]], ["update", [100, 200]], ["delete", [200, null]]]);
  });

  it("a write inside a transaction is recorded in it: rolled back together", async () => {
    const p = t.db.prisma;
    const before = await audit.count({ entity: "holiday" });
    await expect(
      as(() =>
        p.$transaction(async (tx) => {
          await tx.holiday.create({ data: { workspaceId: wsId, date: "2026-12-24" } });
          expect(await tx.auditEvent.count({ where: { entity: "holiday" } })).toBe(before + 1);
          throw new Error("abort");
        }),
      ),
    ).rejects.toThrow("abort");
    expect(await audit.count({ entity: "holiday" })).toBe(before);
    expect(await p.holiday.count()).toBe(0);
  });

  it("createMany records every created row", async () => {
    await as(() => t.db.prisma.holiday.createMany({ data: [{ workspaceId: wsId, date: "2027-01-01" }, { workspaceId: wsId, date: "2027-01-06" }] }));
    const events = await audit.page({ entity: "holiday" }, 10);
    expect(events.map((e) => e.changes?.date?.[1])).toEqual(["2027-01-01", "2027-01-06"]);
  });

  it("a select still gets exactly what it asked for, and the full row is recorded", async () => {
    const c = await as(() => t.db.prisma.contact.create({ data: { accountId: 1, name: "Jane Roe", nameKey: "jane roe", email: "jane@example.com" }, select: { name: true } }));
    expect(c).toEqual({ name: "Jane Roe" });
    const row = await t.db.prisma.contact.findFirstOrThrow({ where: { nameKey: "jane roe" } });
    const [e] = await eventsOf("contact", String(row.id));
    expect(e!.changes).toMatchObject({ email: [null, "jane@example.com"], accountId: [null, 1] });
    // Once the model's columns are known, a select of scalars is served from the full row (no read back).
    const again = await as(() => t.db.prisma.contact.create({ data: { accountId: 1, name: "Joe Bloggs", nameKey: "joe bloggs", title: "CTO" }, select: { id: true, title: true } }));
    expect(Object.keys(again).sort()).toEqual(["id", "title"]);
    expect((await eventsOf("contact", String(again.id)))[0]!.changes).toMatchObject({ name: [null, "Joe Bloggs"], title: [null, "CTO"] });
  });

  it("an erasure scope records which fields changed but not the values", async () => {
    const c = await t.db.prisma.contact.create({ data: { accountId: 1, name: "John Doe", nameKey: "john doe", email: "john@example.com" } });
    await as(() => withoutValues("erasure", () => t.db.prisma.contact.delete({ where: { id: c.id } })));
    const events = await eventsOf("contact", String(c.id));
    expect(events.at(-1)).toMatchObject({ action: "delete", values: "omitted", changes: null, note: "erasure" });
    expect(events.at(-1)!.fields).toContain("email");
  });

  it("deleting a subject's key makes its recorded values unreadable (crypto-shredding)", async () => {
    const d = await as(() => t.db.prisma.account.create({ data: { workspaceId: wsId, ownerId: userId, name: "Initech", nameKey: "initech" } }));
    expect(await audit.shred([`account:${d.id}`])).toBe(1);
    const [e] = await eventsOf("account", String(d.id));
    expect(e).toMatchObject({ action: "create", values: "erased", changes: null });
    expect(e!.fields).toContain("name");
  });

  it("refuses a nested write into a related model (it would skip the trail)", async () => {
    await expect(
      t.db.prisma.team.create({ data: { workspaceId: wsId, name: "East", nameKey: "east", members: { create: [{ userId }] } } }),
    ).rejects.toBeInstanceOf(AuditNestedWriteError);
    expect(await t.db.prisma.team.count({ where: { nameKey: "east" } })).toBe(0);
  });
});
