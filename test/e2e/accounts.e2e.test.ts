import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { ACTIONS } from "../../src/slack/ids.js";
import type { DomainEvents } from "../../src/services/domain-events.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { blockActionsPayload, interactionBody } from "../support/slack-requests.js";
import { describeEachProvider } from "../support/providers.js";

type Json = Record<string, unknown>;
type Block = { type: string; text?: { text: string }; elements?: Json[]; accessory?: Json };

// Wednesday 2026-03-04, 10:00 in Los Angeles.
const NOW = new Date("2026-03-04T18:00:00Z");

function blocksOf(reply: Json): Block[] {
  return (reply.blocks ?? []) as Block[];
}

/** Every button in a message, with its action id and value. */
function buttonsOf(reply: Json): { action_id: string; value: string; text: string }[] {
  return blocksOf(reply).flatMap((b) => {
    const els = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])] as { type?: string; action_id?: string; value?: string; text?: { text: string } }[];
    return els.filter((e) => e.type === "button").map((e) => ({ action_id: e.action_id ?? "", value: e.value ?? "", text: e.text?.text ?? "" }));
  });
}

/** Block Kit limits every message must respect. */
function expectWithinLimits(reply: Json): void {
  const blocks = blocksOf(reply);
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
  for (const button of buttonsOf(reply)) {
    expect(button.text.length).toBeLessThanOrEqual(75);
    expect(button.value.length).toBeLessThanOrEqual(2000);
  }
}

describeEachProvider("accounts, touches and follow-ups through Bolt [%s]", (provider) => {
  let t: TestApp;
  const events: DomainEvents["user.changed"][] = [];

  beforeAll(async () => {
    t = await startTestApp({
      provider,
      now: NOW,
      users: [
        { id: "UALICE", real_name: "Alice Adams", tz: "America/Los_Angeles", locale: "en-US" },
        { id: "UBOB", real_name: "Bob Brown", tz: "America/New_York", locale: "en-US" },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
        { id: "UPAGER", real_name: "Pat Pager", tz: "UTC", locale: "en-US" },
      ],
    });
    t.services.events.on("user.changed", (e) => {
      events.push(e);
    });
  });
  afterAll(async () => t?.close());

  const db = () => t!.database.db.prisma;
  async function run(text: string, user: string): Promise<{ reply: Json; text: string }> {
    const { http, reply } = await t!.command(text, user);
    expect(http.status).toBe(200);
    expectWithinLimits(reply);
    return { reply, text: textOf(reply) };
  }
  async function click(user: string, actionId: string, value: string): Promise<Json> {
    const id = randomBytes(6).toString("hex");
    const payload = blockActionsPayload({ userId: user, actionId, value, isEphemeral: true, responseUrl: t!.fake.responseUrl(id) });
    const http = await t!.post(interactionBody(payload));
    expect(http.status).toBe(200);
    const response = await t!.fake.waitForResponse((r) => r.id === id, 10_000);
    expectWithinLimits(response.body);
    return response.body;
  }
  /** The Home refresh event is emitted right after the reply is sent: wait for it. */
  async function changedAfter(index: number, slackUserId: string): Promise<void> {
    await vi.waitFor(() => expect(events.slice(index).map((e) => e.slackUserId)).toContain(slackUserId), { timeout: 5000 });
  }
  async function accountNamed(name: string) {
    return db().account.findFirstOrThrow({ where: { name } });
  }

  it("account add: stores the account with tier, value and industry, and reports the change", async () => {
    const before = events.length;
    const { text } = await run('account add "Acme Corp" tier:key value:120k industry:Manufacturing', "UALICE");
    expect(text).toContain("Added *Acme Corp*");
    expect(text).toContain("$120,000");
    const acme = await accountNamed("Acme Corp");
    expect(acme).toMatchObject({ tier: "key", industry: "Manufacturing", kind: "company" });
    expect(Number(acme.annualValueCents)).toBe(12_000_000);
    await changedAfter(before, "UALICE");
  });

  it.each([
    ["a duplicate name (case and accents ignored)", 'account add "ACME corp"', "already have an account called"],
    ["an unreadable amount", 'account add "Beta" value:abc', "can't read “abc” as an amount"],
    ["an unknown tier", "account add Beta tier:gold", "is not a tier"],
    ["an unknown option", "account add Beta colour:red", "I don't know the option `colour:`"],
    ["a 10 kB name", `account add ${"x".repeat(10_000)}`, "too long: at most 200 characters"],
    ["odd unicode only", "account add \u200b\u200d", "needs a name"],
  ])("account add refuses %s, shows an example and changes nothing", async (_case, command, problem) => {
    const count = await db().account.count();
    const { text } = await run(command, "UALICE");
    expect(text).toContain(problem);
    expect(text).toContain("Example:");
    expect(text).toContain("Nothing was changed.");
    expect(await db().account.count()).toBe(count);
  });

  it("accounts: lists my accounts with status, value and a legend; a search narrows it", async () => {
    await run('account add "Globex" tier:growth value:$5,000', "UALICE");
    const { text } = await run("accounts", "UALICE");
    expect(text).toContain("*Your accounts* 1–2 of 2");
    expect(text).toMatch(/Acme Corp\*.*Key.*\$120,000.*Manufacturing/);
    expect(text).toContain("Never touched");
    const search = await run("accounts glob", "UALICE");
    expect(search.text).toContain("*Accounts matching “glob”* 1–1 of 1");
    expect(search.text).not.toContain("Acme Corp");
    const none = await run("accounts zzz", "UALICE");
    expect(none.text).toContain("No account matches “zzz”");
  });

  it("log: stores the touch with participants and moves lastTouchAt", async () => {
    const before = events.length;
    const { text } = await run("log acme corp call with <@UBOB|bob> talked about &lt;pricing&gt; &amp; terms", "UALICE");
    expect(text).toContain("Logged: Call with *Acme Corp*, together with <@UBOB>.");
    const acme = await accountNamed("Acme Corp");
    expect(acme.lastTouchAt).toEqual(NOW);
    const touch = await db().touch.findFirstOrThrow({ where: { accountId: acme.id }, include: { participants: true } });
    expect(touch).toMatchObject({ kind: "call", note: "talked about <pricing> & terms", source: "command" });
    expect(touch.participants.map((p) => p.slackUserId)).toEqual(["UBOB"]);
    await changedAfter(before, "UALICE");
  });

  it("log: an unknown kind or a mention first gets an example and changes nothing", async () => {
    const count = await db().touch.count();
    const noKind = await run("log acme corp phoned them", "UALICE");
    expect(noKind.text).toContain("What kind of touch was it? Use one of call|email|meeting|demo|meal|entertainment|note.");
    expect(noKind.text).toContain("Nothing was changed.");
    const mentionFirst = await run("log <@UBOB|bob> call", "UALICE");
    expect(mentionFirst.text).toContain("Start with the account");
    const unknown = await run("log nosuchthing call", "UALICE");
    expect(unknown.text).toContain("I can't find an account called “nosuchthing”");
    const longNote = await run(`log acme corp note ${"n".repeat(3001)}`, "UALICE");
    expect(longNote.text).toContain("The note is too long");
    expect(await db().touch.count()).toBe(count);
  });

  it("log with an ambiguous name asks with buttons; a click logs on the chosen account", async () => {
    await run('account add "Acme Labs"', "UALICE");
    const count = await db().touch.count();
    const { reply, text } = await run("log acme email sent the contract", "UALICE");
    expect(text).toContain("Several accounts match “acme”");
    expect(await db().touch.count()).toBe(count);
    const labs = await accountNamed("Acme Labs");
    const pick = buttonsOf(reply).find((b) => b.action_id === `${ACTIONS.pickAccount}:${labs.id}`);
    expect(pick).toBeDefined();
    expect(JSON.parse(pick!.value)).toEqual({ text: `log #${labs.id} email sent the contract` });
    const answer = await click("UALICE", pick!.action_id, pick!.value);
    expect(textOf(answer)).toContain("Logged: Email with *Acme Labs*.");
    expect(answer.replace_original).toBe(true);
    const touch = await db().touch.findFirstOrThrow({ where: { accountId: labs.id } });
    expect(touch).toMatchObject({ kind: "email", note: "sent the contract" });
  });

  it("account <name>: shows last touches, follow-ups, deals and this year's gifts", async () => {
    const acme = await accountNamed("Acme Corp");
    const alice = await db().user.findFirstOrThrow({ where: { slackUserId: "UALICE" } });
    await db().deal.create({ data: { accountId: acme.id, ownerId: alice.id, amountCents: 4_500_000n, stage: "negotiation", title: "Expansion" } });
    await db().gift.create({
      data: { workspaceId: acme.workspaceId, accountId: acme.id, userId: alice.id, recipientName: "Jane <CFO>", recipientKey: "jane", amountCents: 8_000n, givenOn: "2026-02-10", description: "Dinner" },
    });
    const { reply, text } = await run('account "acme corp"', "UALICE");
    expect(text).toContain("Latest touches (1 of 1)");
    expect(text).toContain("talked about &lt;pricing&gt; &amp; terms");
    expect(text).toContain("with <@UBOB>");
    expect(text).toContain("Deals (1 of 1)");
    expect(text).toMatch(/\$45,000 · Negotiation/);
    expect(text).toContain("Gifts and entertainment in 2026: 1, $80 in total");
    expect(text).toContain("Jane &lt;CFO&gt;");
    expect(buttonsOf(reply).map((b) => b.action_id)).toEqual([ACTIONS.homeLogTouch, ACTIONS.homeAddFollowUp]);
  });

  it("refuses another rep's account with the reason, and changes nothing", async () => {
    const touches = await db().touch.count();
    const show = await run('account "Acme Corp"', "UBOB");
    expect(show.text).toContain("That belongs to another rep, so I can't show or change it.");
    expect(show.text).toContain("Nothing was changed.");
    const log = await run('log "Acme Corp" call', "UBOB");
    expect(log.text).toContain("belongs to another rep");
    const byId = await run(`account #${(await accountNamed("Acme Corp")).id}`, "UBOB");
    expect(byId.text).toContain("belongs to another rep");
    expect(await db().touch.count()).toBe(touches);
  });

  it("followup: reads a multi-word date unquoted and stores the start of the local day", async () => {
    const { text } = await run("followup acme corp in 3 days send the deck", "UALICE");
    expect(text).toMatch(/Follow-up #\d+ on \*Acme Corp\*: send the deck — due Sat, Mar 7, 2026\./);
    const f = await db().followUp.findFirstOrThrow({ where: { title: "send the deck" } });
    expect(f.dueAt.toISOString()).toBe("2026-03-07T08:00:00.000Z"); // midnight in Los Angeles (PST)
    const past = await run("followup acme corp yesterday do it", "UALICE");
    expect(past.text).toContain("That date is in the past");
    const noDate = await run("followup acme corp sometime soon", "UALICE");
    expect(noDate.text).toContain("I couldn't find when it is due");
    const noTitle = await run("followup acme corp tomorrow", "UALICE");
    expect(noTitle.text).toContain("What needs doing?");
    expect(await db().followUp.count()).toBe(1);
  });

  it("followups lists overdue first with Done buttons; Done completes and redraws; done <#> works", async () => {
    const acme = await accountNamed("Acme Corp");
    const alice = await db().user.findFirstOrThrow({ where: { slackUserId: "UALICE" } });
    const overdue = await db().followUp.create({ data: { accountId: acme.id, userId: alice.id, title: "chase invoice", dueAt: new Date("2026-03-01T08:00:00Z") } });
    const { reply, text } = await run("followups", "UALICE");
    expect(text).toContain("*Your open follow-ups* 1–2 of 2");
    expect(text.indexOf("chase invoice")).toBeLessThan(text.indexOf("send the deck"));
    expect(text).toContain("overdue since Sun, Mar 1, 2026");
    const done = buttonsOf(reply).find((b) => b.action_id === ACTIONS.followUpDoneInList && JSON.parse(b.value).id === overdue.id);
    expect(done).toBeDefined();
    const answer = await click("UALICE", done!.action_id, done!.value);
    expect(textOf(answer)).toContain(`Follow-up #${overdue.id} done: chase invoice (Acme Corp).`);
    expect(textOf(answer)).toContain("1–1 of 1");
    expect((await db().followUp.findUniqueOrThrow({ where: { id: overdue.id } })).status).toBe("done");

    const other = await db().followUp.findFirstOrThrow({ where: { title: "send the deck" } });
    const bobTries = await run(`done ${other.id}`, "UBOB");
    expect(bobTries.text).toContain("belongs to another rep");
    const ok = await run(`done #${other.id}`, "UALICE");
    expect(ok.text).toContain(`Follow-up #${other.id} done: send the deck`);
    const again = await run(`done ${other.id}`, "UALICE");
    expect(again.text).toContain("is already closed");
    const bad = await run("done tomorrow", "UALICE");
    expect(bad.text).toContain("“tomorrow” is not a follow-up number");
    const missing = await run("done 999999", "UALICE");
    expect(missing.text).toContain("There is no follow-up #999999");
    expect((await run("followups", "UALICE")).text).toContain("No open follow-ups.");
  });

  it("answers in German for a de-DE user, reading amounts and dates the German way", async () => {
    expect((await run("konten", "UBERND")).text).toContain("Du hast noch keine Accounts.");
    const added = await run('account add "Müller GmbH" tier:growth value:12.000,50 branche:Maschinenbau', "UBERND");
    expect(added.text).toContain("*Müller GmbH* angelegt (Growth · 12.000,50");
    expect(Number((await accountNamed("Müller GmbH")).annualValueCents)).toBe(1_200_050);
    const logged = await run("log müller anruf Angebot besprochen", "UBERND");
    expect(logged.text).toContain("Erfasst: Anruf mit *Müller GmbH*.");
    const fu = await run("followup mueller nächsten Montag anrufen", "UBERND");
    expect(fu.text).toMatch(/Follow-up #\d+ zu \*Müller GmbH\*: anrufen — fällig Mo\., 9\. März 2026\./);
    const list = await run("accounts", "UBERND");
    expect(list.text).toContain("*Deine Accounts* 1–1 von 1");
    expect(list.text).toContain("Letzter Kontakt heute");
    const err = await run("done abc", "UBERND");
    expect(err.text).toContain("ist keine Follow-up-Nummer");
    expect(err.text).toContain("Es wurde nichts geändert.");
  });

  it("pages more than 50 accounts with a More button, never breaking Block Kit limits", async () => {
    await run("help", "UPAGER");
    const pager = await db().user.findFirstOrThrow({ where: { slackUserId: "UPAGER" } });
    const ws = await db().workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });
    for (let i = 0; i < 60; i++) {
      await t.services.repos.accounts.create({ workspaceId: ws.id, ownerId: pager.id, name: `Paged ${String(i).padStart(2, "0")} ${"Ω".repeat(150)}`, annualValueCents: i * 100_000, industry: "i".repeat(100) });
    }
    const first = await run("accounts", "UPAGER");
    expect(first.text).toContain("1–25 of 60");
    const more = buttonsOf(first.reply).find((b) => b.action_id === ACTIONS.moreResults);
    expect(more?.text).toBe("More (35 left)");
    const second = await click("UPAGER", more!.action_id, more!.value);
    expect(textOf(second)).toContain("26–50 of 60");
    expect(second.replace_original).toBe(false);
    const more2 = buttonsOf(second).find((b) => b.action_id === ACTIONS.moreResults);
    const third = await click("UPAGER", more2!.action_id, more2!.value);
    expect(textOf(third)).toContain("51–60 of 60");
    expect(buttonsOf(third).some((b) => b.action_id === ACTIONS.moreResults)).toBe(false);
    // Most valuable first among untouched accounts created today: 59 … 0.
    expect(textOf(first.reply).indexOf("Paged 59")).toBeLessThan(textOf(first.reply).indexOf("Paged 58"));
    expect((await run("accounts page:abc", "UPAGER")).text).toContain("is not a page number");
  });
});
