import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/cli-command.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { seedAccount, seedUser, seedWorkspace } from "../support/deals-fixtures.js";

function captured(url: string): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env: { DATABASE_URL: url, LOG_LEVEL: "error" } };
}

describeEachProvider("ae-assistant privacy, audit export and gifts correct [%s]", (provider) => {
  let tdb: TestDatabase;
  let dir: string;
  let rep: User;
  let giftId: number;

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    dir = mkdtempSync(join(tmpdir(), "ae-privacy-cli-"));
    const ws = await seedWorkspace(tdb.db);
    rep = await seedUser(tdb.db, ws, "UREP", { name: "Rita Rep" });
    await seedUser(tdb.db, ws, "UADMIN", { name: "Ada Admin", role: "admin" });
    const acme = await seedAccount(tdb.db, ws, rep, "Acme Corp");
    const p = tdb.db.prisma;
    const c = await p.contact.create({ data: { accountId: acme.id, name: "Jane Roe", nameKey: "jane roe", email: "jane@example.com", externalId: "sf:003A" } });
    giftId = (await p.gift.create({ data: { workspaceId: ws.id, accountId: acme.id, contactId: c.id, userId: rep.id, recipientName: "Jane Roe", recipientKey: "jane roe", amountCents: 60_00n, givenOn: "2026-11-02", description: "Wine" } })).id;
    await p.touch.create({ data: { accountId: acme.id, userId: rep.id, kind: "meal", occurredAt: new Date("2026-11-02T18:00:00Z"), note: "Dinner with Jane Roe" } });
  });
  afterAll(async () => {
    await tdb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [["privacy", "export", "--contact", "Jane Roe"], "--as <your Slack user id> is required"],
    [["privacy", "export", "--as", "UADMIN"], "exactly one of --contact"],
    [["privacy", "erase", "--contact", "Jane Roe", "--email", "jane@example.com", "--as", "UADMIN"], "exactly one of --contact"],
    [["privacy", "erase", "--email", "jane", "--as", "UADMIN"], "is not an e-mail address"],
    [["privacy", "erase", "--user", "rita", "--as", "UADMIN"], "is not a Slack user id"],
    [["privacy", "forget", "--as", "UADMIN"], 'Unknown privacy subcommand "forget"'],
    [["audit", "export", "--entity", "touch"], '--entity "touch" is not a kind of event'],
    [["audit", "export", "--since", "last week"], '--since "last week" is not a date'],
    [["gifts", "correct", "12", "--as", "UREP", "--amount", "80"], '--reason "<why>" is required'],
    [["gifts", "correct", "--as", "UREP", "--reason", "x", "--amount", "80"], "Name the entry to correct"],
    [["gifts", "correct", "12", "--as", "UREP", "--reason", "x"], "Say what is corrected"],
  ])("refuses %j with the reason and the usage (exit 2), changing nothing", async (argv, message) => {
    const before = await tdb.db.prisma.auditEvent.count();
    const io = captured(tdb.url);
    expect(await runCli(argv, io)).toBe(2);
    expect(io.errors.join("\n")).toContain(message);
    expect(io.errors.join("\n")).toContain("Usage:");
    expect(await tdb.db.prisma.auditEvent.count()).toBe(before);
  });

  it("runs privacy operations only for an admin (exit 3 otherwise), and never prints a token", async () => {
    const io = captured(tdb.url);
    io.env.SLACK_BOT_TOKEN = "xoxb-secret-token-1234";
    expect(await runCli(["privacy", "export", "--contact", "Jane Roe", "--as", "UREP"], io)).toBe(3);
    expect(io.errors.join("\n")).toContain("Refused: UREP is not an admin");
    expect(await runCli(["privacy", "export", "--contact", "Jane Roe", "--as", "UNOBODY"], io)).toBe(3);
    expect([...io.lines, ...io.errors].join("\n")).not.toContain("xoxb-secret-token-1234");
  });

  it("exports a contact's data as JSON to a file, and the dry run of an erasure changes nothing", async () => {
    const file = join(dir, "jane.json");
    const io = captured(tdb.url);
    expect(await runCli(["privacy", "export", "--contact", "jane roe", "--as", "UADMIN", "--out", file], io)).toBe(0);
    expect(io.lines[0]).toContain("1 contacts, 1 gift records, 0 user profiles, 1 possible matches in free text");
    const data = JSON.parse(readFileSync(file, "utf8")) as { contacts: { email: string }[]; gifts: { id: number; purgeOn: string }[]; possibleMatches: { text: string }[] };
    expect(data.contacts[0]!.email).toBe("jane@example.com");
    expect(data.gifts[0]!.id).toBe(giftId);
    expect(data.possibleMatches[0]!.text).toBe("Dinner with Jane Roe");
    const dry = captured(tdb.url);
    expect(await runCli(["privacy", "erase", "--email", "JANE@example.com", "--as", "UADMIN"], dry)).toBe(0);
    const out = dry.lines.join("\n");
    expect(out).toContain("dry run: nothing was changed. Run again with --confirm to erase.");
    expect(out).toMatch(/contact #\d+ Jane Roe <jane@example\.com> on Acme Corp: deleted/);
    expect(out).toMatch(new RegExp(`gift #${giftId} 2026-11-02 to Jane Roe: 60.00 USD "Wine": until 20\\d\\d-\\d\\d-\\d\\d`));
    expect(out).toContain("GDPR Art. 17(3)(b)");
    expect(out).toContain('touch note #');
    expect(out).toContain("Also erase the person in the CRM");
    expect(await tdb.db.prisma.contact.count()).toBe(1);
  });

  it("corrects a gift entry (both stay), then erases: the gift is restricted, the note redacted; the audit export shows it all", async () => {
    const fix = captured(tdb.url);
    expect(await runCli(["gifts", "correct", `#${giftId}`, "--as", "UREP", "--amount", "65", "--reason", "receipt: 65"], fix)).toBe(0);
    expect(fix.lines[0]).toContain(`Corrected entry #${giftId} 2026-11-02 gift to Jane Roe: 60.00 USD "Wine"`);
    expect(fix.lines[1]).toMatch(/by entry #\d+ 2026-11-02 gift to Jane Roe: 65.00 USD "Wine" — receipt: 65/);
    const again = captured(tdb.url);
    expect(await runCli(["gifts", "correct", String(giftId), "--as", "UREP", "--amount", "70", "--reason", "x"], again)).toBe(2);
    expect(again.errors[0]).toContain("was already corrected; correct the latest entry instead");
    const erase = captured(tdb.url);
    expect(await runCli(["privacy", "erase", "--contact", "Jane Roe", "--as", "UADMIN", "--confirm", "--redact-notes"], erase)).toBe(0);
    const out = erase.lines.join("\n");
    expect(out).toContain("done, recorded in the audit trail");
    expect(out).toContain("Restricted (kept, hidden from every view and export except the compliance export");
    expect(out).toContain("1 of 1 redacted");
    expect((await tdb.db.prisma.touch.findFirstOrThrow()).note).toBe("Dinner with [erased]");
    expect(await tdb.db.prisma.gift.count({ where: { restrictedAt: { not: null } } })).toBe(2);
    const csv = captured(tdb.url);
    expect(await runCli(["audit", "export", "--entity", "privacy"], csv)).toBe(0);
    expect(csv.lines[0]).toBe("id,at,actor_kind,actor_user_id,actor_slack_id,actor_name,actor_detail,entity,entity_id,account_id,action,fields,changes,values,note");
    expect(csv.lines.slice(1).map((l) => l.split(",")[10])).toEqual(["export", "erase-dry-run", "erase"]);
    expect(csv.lines.join("\n")).toContain("Ada Admin");
    expect(csv.lines.join("\n")).not.toMatch(/jane/i);
    const json = captured(tdb.url);
    expect(await runCli(["audit", "export", "--entity", "gift", "--format", "json", "--since", "2026-01-01"], json)).toBe(0);
    const events = JSON.parse(json.lines.join("\n")) as { action: string; values: string; changes: string | null }[];
    expect(events.map((e) => e.action)).toEqual(["create", "create", "update", "update"]);
    expect(events[1]!.changes).toContain('"correctionReason":[null,"receipt: 65"]');
    expect(events[2]!.values).toBe("omitted");
  });

  it("privacy retention --dry-run reports what the next run removes", async () => {
    const io = captured(tdb.url);
    expect(await runCli(["privacy", "retention", "--dry-run", "--as", "UADMIN"], io)).toBe(0);
    expect(io.lines[0]).toMatch(/^Retention \(\d{4}-\d\d-\d\d\): touch notes 36 months, closed deals 84 months, departed reps 12 months, gift records 6 years\.$/);
    expect(io.lines[1]).toBe("The next run removes:");
    expect(io.lines.join("\n")).toContain("0 gift and entertainment records past their retention, 0 of them restricted");
  });
});
