import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/cli-command.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import { OutboxRepository } from "../../src/db/repositories/outbox-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { seedAccount, seedDeal, seedUser, seedWorkspace } from "../support/deals-fixtures.js";

function captured(url: string): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env: { DATABASE_URL: url, LOG_LEVEL: "error" } };
}

describeEachProvider("ae-assistant reassign [%s]", (provider) => {
  let tdb: TestDatabase;
  let dana: User, erik: User, lee: User;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    const ws = await seedWorkspace(tdb.db);
    dana = await seedUser(tdb.db, ws, "UDANA");
    erik = await seedUser(tdb.db, ws, "UERIK");
    lee = await seedUser(tdb.db, ws, "ULEE", { language: "de" });
    await tdb.db.prisma.user.update({ where: { id: erik.id }, data: { email: "Erik@Example.com" } });
    for (const [owner, name] of [[dana, "Acme"], [dana, "Beta"], [erik, "Gamma"]] as const) {
      const account = await seedAccount(tdb.db, ws, owner, name);
      await seedDeal(tdb.db, account, 1_000_00);
      await seedDeal(tdb.db, account, 2_000_00, { status: "won", wonAt: new Date("2026-01-05T12:00:00Z") });
      await tdb.db.prisma.followUp.create({ data: { accountId: account.id, userId: owner.id, title: "x", dueAt: new Date("2026-03-01T05:00:00Z") } });
    }
  });
  afterAll(async () => tdb?.drop());

  const ownersOf = async () => (await tdb.db.prisma.account.findMany({ orderBy: { name: "asc" }, select: { name: true, ownerId: true } })).map((a) => [a.name, a.ownerId]);

  it.each([
    [["reassign", "--to", "ULEE"], "--from is required"],
    [["reassign", "--from", "UDANA"], "--to is required"],
    [["reassign", "--from", "dana", "--to", "ULEE"], "neither a Slack user id"],
    [["reassign", "--from", "UDANA", "--to", "ULEE", "--scope", "everything"], "must be accounts or all"],
    [["reassign", "--from", "UDANA", "--to", "UDANA"], "the same person"],
    [["reassign", "--from", "UDANA", "--from", "UGHOST", "--to", "ULEE"], "No user UGHOST"],
  ])("%j is refused and moves nothing", async (argv, problem) => {
    const before = await ownersOf();
    const io = captured(tdb.url);
    expect(await runCli(argv, io)).toBe(2);
    expect(io.errors.join("\n")).toContain(problem);
    expect(await ownersOf()).toEqual(before);
  });

  it("--dry-run prints the counts and moves nothing", async () => {
    const before = await ownersOf();
    const io = captured(tdb.url);
    expect(await runCli(["reassign", "--from", "UDANA", "--from", "erik@example.com", "--to", "ULEE", "--dry-run"], io)).toBe(0);
    expect(io.lines).toEqual([
      "UDANA → ULEE (scope all): 2 accounts, 2 open follow-ups, 2 open deals (dry run: nothing moved)",
      "UERIK → ULEE (scope all): 1 account, 1 open follow-up, 1 open deal (dry run: nothing moved)",
    ]);
    expect(await ownersOf()).toEqual(before);
  });

  it("hands several people's books to one colleague, as an admin, and queues a DM for each person", async () => {
    const io = captured(tdb.url);
    expect(await runCli(["reassign", "--from", "UDANA", "--from", "erik@example.com", "--to", "ULEE"], io)).toBe(0);
    expect(io.lines).toEqual([
      "UDANA → ULEE (scope all): 2 accounts, 2 open follow-ups, 2 open deals — moved; both told.",
      "UERIK → ULEE (scope all): 1 account, 1 open follow-up, 1 open deal — moved; both told.",
    ]);
    expect(await ownersOf()).toEqual([["Acme", lee.id], ["Beta", lee.id], ["Gamma", lee.id]]);
    expect((await tdb.db.prisma.deal.findMany({ where: { status: "won" }, select: { ownerId: true }, orderBy: { id: "asc" } })).map((d) => d.ownerId)).toEqual([dana.id, dana.id, erik.id]);
    const rows = await new OutboxRepository(tdb.db.prisma).list({ kind: "handover" });
    expect(rows.map((r) => [r.recipient, r.status])).toEqual([["UDANA", "pending"], ["ULEE", "pending"], ["UERIK", "pending"], ["ULEE", "pending"]]);
    expect(JSON.parse(rows[0]!.payload).text).toContain("An admin handed your book to <@ULEE>: 2 accounts");
    expect(JSON.parse(rows[1]!.payload).text).toContain("Ein Admin hat dir die Kunden von <@UDANA> übergeben");
    // Again: nothing left to hand over.
    const again = captured(tdb.url);
    expect(await runCli(["reassign", "--from", "UDANA", "--to", "ULEE"], again)).toBe(0);
    expect(again.lines).toEqual(["UDANA → ULEE: nothing to hand over."]);
  });
});
