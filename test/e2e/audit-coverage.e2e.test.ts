import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { KnownBlock } from "@slack/types";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/cli-command.js";
import { AuditCounters } from "../../src/db/audit/audited-client.js";
import { instrumentDatabases } from "../../src/db/client.js";
import { auditedEntity, AUDITED_MODELS } from "../../src/domain/audit.js";
import { ACTIONS, ADMIN_MODAL, VIEWS } from "../../src/slack/ids.js";
import { describeEachProvider } from "../support/providers.js";
import { startSeededApp, textOf, TEST_BOT_TOKEN, type SeededApp } from "../support/e2e-harness.js";
import { blockActionsPayload, eventCallback, interactionBody, jsonBody, userChangeEvent, viewSubmissionPayload } from "../support/slack-requests.js";
import { assertEveryWriteAudited, WriteCounter } from "../support/write-counter.js";

const NOW = new Date("2026-12-08T15:00:00Z");
type Json = Record<string, unknown>;

/**
 * No change path skips the trail: every command, button, form, event and CLI command that writes
 * is driven here, through the real app and the real CLI, and then
 * - every row written at the driver to an audited table was seen by the audit extension (the
 *   bot's database client and every database the in-process CLI opened are counted);
 * - every row change the extension saw is one audit event, and the trail holds nothing else;
 * - no event of these flows has an unknown actor: Slack ones name the person, CLI ones the CLI
 *   (and the admin of a privacy run), the sender its job.
 */
describeEachProvider("every write is in the audit trail, across the flows [%s]", (provider) => {
  let t: SeededApp<"UDANA" | "ULEE" | "UMIA" | "UADA">;
  let seededUpTo: number;
  let restore: () => void;
  const cliWrites = new WriteCounter();
  const cliAudit = new AuditCounters();
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ae-audit-e2e-"));
    t = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UDANA", real_name: "Dana Diaz", locale: "en-US", email: "dana@example.com" },
        { id: "ULEE", real_name: "Lee Lang", locale: "de-DE", email: "lee@example.com" },
        { id: "UMIA", real_name: "Mia Manager", locale: "en-US" },
        { id: "UADA", real_name: "Ada Admin", locale: "en-US", is_admin: true },
      ],
      roles: { UMIA: "manager" },
    });
    seededUpTo = (await t.database.db.prisma.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0;
    restore = instrumentDatabases({ wrapAdapter: cliWrites.wrap, auditCounters: cliAudit });
  });
  afterAll(async () => {
    restore?.();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ok = async (text: string, user: string) => {
    const reply = textOf((await t.command(text, user)).reply);
    expect(reply, `/ae ${text}`).not.toMatch(/went wrong|Nothing was changed/);
    return reply;
  };
  const io = (): CliIo & { out_: string[]; err_: string[] } => {
    const out_: string[] = [];
    const err_: string[] = [];
    return {
      out_,
      err_,
      out: (l) => out_.push(l),
      err: (l) => err_.push(l),
      env: { DATABASE_URL: t.database.url, LOG_LEVEL: "error", SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: "x", SLACK_API_URL: t.fake.apiUrl },
    };
  };
  const cli = async (argv: string[]) => {
    const run = io();
    const code = await runCli(argv, run);
    expect(code, `ae-assistant ${argv.join(" ")}: ${run.err_.join(" ")}`).toBe(0);
    return run.out_.join("\n");
  };
  const button = (reply: Json, actionId: string): string => {
    const blocks = (reply.blocks ?? []) as KnownBlock[];
    const el = blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])).find((e) => "action_id" in e && e.action_id === actionId);
    if (!el || !("value" in el) || !el.value) throw new Error(`no ${actionId} button`);
    return el.value;
  };

  it("drives every write path through Slack and the CLI", async () => {
    // Slack: accounts, touches, follow-ups, deals, quotas, gifts, teams, handover, settings, events.
    await ok('account add "Acme Corp" tier:key value:120k industry:Pharma', "UDANA");
    await ok('account add "Dr. Jane Roe" value:25k individual', "UDANA");
    await ok('log "Acme Corp" meeting with <@ULEE|lee> lunch with Jane Roe', "UDANA");
    await ok('followup "Acme Corp" tomorrow send Jane Roe the deck', "UDANA");
    await ok('deal "Acme Corp" 50k stage:proposal', "UDANA");
    await ok('deal "Dr. Jane Roe" 10k', "UDANA");
    const deals = await t.database.db.prisma.deal.findMany({ orderBy: { id: "asc" } });
    await ok(`won ${deals[0]!.id} 55k`, "UDANA");
    await ok(`lost ${deals[1]!.id} chose another advisor`, "UDANA");
    // The pipeline's writes: a deal opened with a forecast category, then its call and stage changed.
    await ok('deal "Acme Corp" 20k stage:qualified forecast:best_case', "UDANA");
    const open = await t.database.db.prisma.deal.findFirstOrThrow({ where: { status: "open" }, orderBy: { id: "desc" } });
    expect(await ok(`deal ${open.id} forecast:commit stage:negotiation`, "UDANA")).toContain("best case → commit");
    await ok("pipeline", "UDANA");
    await ok('gift "Acme Corp" "Jane Roe" 75 Bottle of wine', "UDANA");
    await ok('entertainment "Acme Corp" "Jane Roe" 180 Dinner after the QBR', "UDANA");
    await ok("team create East", "UMIA");
    await ok("team add East <@UDANA|dana> <@ULEE|lee>", "UMIA");
    await ok("team settings East celebrate:off metrics:won,deals", "UMIA");
    await ok("team remove East <@ULEE|lee>", "UMIA");
    await ok("quota set <@UDANA|dana> 250k quarter ramp:0.5", "UMIA");
    const handover = (await t.command("reassign <@UDANA|dana> <@ULEE|lee> accounts", "UADA")).reply;
    const click = await t.post(interactionBody(blockActionsPayload({ userId: "UADA", actionId: ACTIONS.reassignConfirm, value: button(handover, ACTIONS.reassignConfirm), isEphemeral: true, responseUrl: t.fake.responseUrl("handover") })));
    expect(click.status).toBe(200);
    expect(textOf((await t.fake.waitForResponse((r) => r.id === "handover", 10_000)).body as Json)).toContain("Handed over");
    const values: Record<string, Record<string, unknown>> = {};
    const text = (v: string) => ({ type: "plain_text_input", value: v });
    const selected = (v: string) => ({ type: "static_select", selected_option: { value: v } });
    type Field = Exclude<keyof typeof ADMIN_MODAL, "stageProbability">;
    const texts: Partial<Record<Field, string>> = { currency: "USD", timezone: "America/New_York", neglectKey: "5", neglectGrowth: "14", neglectStandard: "30", giftLimit: "", dealStall: "30", dealCloseSoon: "7", dealNoTouch: "7", retentionNotes: "24", retentionDeals: "84", retentionDeparted: "6", retentionGifts: "7" };
    for (const [block, v] of Object.entries(texts)) {
      const id = ADMIN_MODAL[block as Field];
      values[id] = { [id]: text(v) };
    }
    // The pipeline's stage probabilities are workspace settings too (one event with the rest).
    for (const [stage, v] of Object.entries({ prospect: "5", qualified: "20", proposal: "50", negotiation: "80" })) {
      const id = ADMIN_MODAL.stageProbability[stage as keyof typeof ADMIN_MODAL.stageProbability];
      values[id] = { [id]: text(v) };
    }
    for (const [block, v] of Object.entries({ fiscalStart: "1", pace: "business", giftYear: "calendar" })) {
      const id = ADMIN_MODAL[block as Field];
      values[id] = { [id]: selected(v) };
    }
    const submitted = await t.post(interactionBody(viewSubmissionPayload({ callbackId: VIEWS.admin, userId: "UADA", values })));
    expect(submitted.status).toBe(200);
    await expect.poll(async () => (await t.database.db.prisma.workspace.findFirstOrThrow()).retentionGiftYears).toBe(7);
    const gone = await t.post(jsonBody(eventCallback(userChangeEvent({ id: "ULEE", teamId: t.fake.teamId, real_name: "Lee Lang", locale: "de-DE", email: "lee@example.com", deleted: true }))));
    expect(gone.status).toBe(200);
    await expect.poll(async () => (await t.database.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "ULEE" } })).inactive).toBe(true);
    await t.deliveries.settled();

    // The CLI, in this process: settings, holidays, comp plans, gift settings and corrections,
    // an import, a handover, a privacy erasure, the exports, the retention run.
    await cli(["workspace", "set", "--neglect", "key:7", "--retention-notes", "36", "--probabilities", "proposal:55"]);
    await cli(["holidays", "add", "2026-12-24", "Christmas Eve"]);
    await cli(["holidays", "remove", "2026-12-24"]);
    await cli(["comp", "set", "--user", "UDANA", "--rate", "0.1", "--base", "90k", "--from", "2026-10-01"]);
    await cli(["gifts", "settings", "--limit", "250"]);
    const gift = await t.database.db.prisma.gift.findFirstOrThrow({ where: { kind: "gift" } });
    expect(await cli(["gifts", "correct", String(gift.id), "--as", "UDANA", "--amount", "80", "--reason", "the receipt said 80"])).toContain("Corrected entry");
    await cli(["import", "accounts", "test/fixtures/import/salesforce-accounts.csv", "--owner", "UDANA"]);
    await cli(["reassign", "--from", "ULEE", "--to", "UDANA"]);
    expect(await cli(["privacy", "erase", "--contact", "Jane Roe", "--as", "UADA", "--confirm"])).toContain("Restricted");
    await cli(["privacy", "export", "--user", "UDANA", "--as", "UADA", "--out", join(dir, "dana.json")]);
    await cli(["privacy", "retention", "--as", "UADA"]);
    await cli(["audit", "export", "--out", join(dir, "audit.csv")]);
    await cli(["gifts", "export", "--year", "2026", "--out", join(dir, "gifts.csv")]);

    // The edited deal and the corrected gift are in the trail and the compliance export.
    const audit = readFileSync(join(dir, "audit.csv"), "utf8");
    expect(audit).toMatch(new RegExp(`deal,${deals[0]!.id},\\d+,update,.*amountCents`));
    expect(audit).toMatch(/gift,\d+,\d+,create,.*the receipt said 80/);
    const compliance = readFileSync(join(dir, "gifts.csv"), "utf8").split("\r\n");
    expect(compliance.filter((l) => l.includes("Bottle of wine"))).toHaveLength(2);
    expect(compliance.some((l) => l.includes(",80.00,") && l.includes("the receipt said 80") && l.includes(`,${gift.id},`))).toBe(true);
  });

  it("every row written at the driver was seen by the audit extension, and each change is one event", async () => {
    assertEveryWriteAudited(t.database.writes, t.database.audit);
    assertEveryWriteAudited(cliWrites, cliAudit);
    const p = t.database.db.prisma;
    for (const m of AUDITED_MODELS) {
      const events = await p.auditEvent.count({ where: { entity: m.entity, action: { in: ["create", "update", "delete"] } } });
      const recorded = (t.database.audit.recorded.get(m.model) ?? 0) + (cliAudit.recorded.get(m.model) ?? 0);
      expect(events, m.entity).toBe(recorded);
    }
    // The flows above wrote to every kind of audited record.
    const entities = new Set((await p.auditEvent.findMany({ where: { id: { gt: seededUpTo } }, select: { entity: true } })).map((e) => e.entity));
    for (const m of AUDITED_MODELS) expect(entities, m.entity).toContain(m.entity);
    expect([...entities].filter((e) => !auditedEntity(e)).sort()).toEqual(["audit", "handover", "privacy", "retention"]);
  });

  it("no event of these flows has an unknown actor; Slack events name the person, privacy runs the admin", async () => {
    const p = t.database.db.prisma;
    const events = await p.auditEvent.findMany({ where: { id: { gt: seededUpTo } }, orderBy: { id: "asc" } });
    expect(events.filter((e) => e.actorKind === "unknown")).toEqual([]);
    const slack = events.filter((e) => e.actorKind === "slack");
    expect(slack.length).toBeGreaterThan(15);
    // Only Slack's own report of a deactivation has no acting person.
    expect(slack.filter((e) => e.actorUserId === null).map((e) => e.actorDetail)).toEqual(slack.filter((e) => e.actorUserId === null).map(() => "event:user_change"));
    const users = new Map((await p.user.findMany()).map((u) => [u.id, u.slackUserId]));
    expect(new Set(slack.filter((e) => e.actorUserId !== null).map((e) => users.get(e.actorUserId!)))).toEqual(new Set(["UDANA", "UMIA", "UADA"]));
    const cliEvents = events.filter((e) => e.actorKind === "cli");
    expect(new Set(cliEvents.map((e) => e.actorDetail?.split(" ")[0]))).toEqual(new Set(["workspace", "holidays", "comp", "gifts", "import", "reassign", "privacy", "audit"]));
    const admin = users.size > 0 ? [...users].find(([, s]) => s === "UADA")![0] : 0;
    for (const e of cliEvents.filter((x) => x.actorDetail?.startsWith("privacy"))) expect(e.actorUserId).toBe(admin);
    expect(events.some((e) => e.entity === "handover" && e.actorKind === "slack")).toBe(true);
    expect(events.some((e) => e.entity === "handover" && e.actorKind === "cli")).toBe(true);
  });
});
