import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { blockActionsPayload, interactionBody, newTriggerId, slashCommandBody, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { ACTIONS, DEAL_MODAL, VIEWS } from "../../src/slack/ids.js";
import type { DomainEvents } from "../../src/services/domain-events.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";

// Mon Feb 16 2026, 12:00 in New York (the workspace zone): Q1 FY2026, half its business days over.
const NOW = new Date("2026-02-16T17:00:00Z");

type Button = { action_id: string; value: string; text: { text: string } };

function buttonsOf(reply: Record<string, unknown>): Button[] {
  const blocks = (reply.blocks ?? []) as { type: string; elements?: Button[] }[];
  return blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements ?? []);
}

describeEachProvider("/ae deal, won and lost through Bolt [%s]", (provider) => {
  let t: TestApp;
  let ws: Workspace;
  let alice: User;
  let bob: User;
  const wins: DomainEvents["deal.won"][] = [];

  beforeAll(async () => {
    const seeded = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UALICE", real_name: "Alice Adams", tz: "America/Los_Angeles", locale: "en-US" },
        { id: "UBOB", real_name: "Bob Brown", tz: "America/New_York", locale: "en-US" },
      ],
    });
    t = seeded;
    ({ ws, users: { UALICE: alice, UBOB: bob } } = seeded);
    const accounts = t.services.repos.accounts;
    await accounts.create({ workspaceId: ws.id, ownerId: alice.id, name: "Acme Corp" });
    await accounts.create({ workspaceId: ws.id, ownerId: alice.id, name: "Globex" });
    await accounts.create({ workspaceId: ws.id, ownerId: bob.id, name: "Bobco" });
    await t.services.repos.quotas.upsert({ userId: alice.id, periodType: "quarter", periodStart: "2026-01-01", amountCents: 100_000_00, rampFactor: 1, setById: null });
    await t.services.repos.compPlans.save({
      userId: alice.id, baseSalaryCents: 0, commissionRate: 0.1, acceleratorMultiplier: 1.5, deceleratorThreshold: null,
      deceleratorMultiplier: null, bonuses: [{ attainment: 1, amountCents: 5_000_00 }], periodType: "quarter", effectiveFrom: "2026-01-01",
    });
    t.services.events.on("deal.won", (e) => void wins.push(e));
  });
  afterAll(async () => t?.close());

  const deals = () => t!.database.db.prisma.deal.findMany({ orderBy: { id: "asc" } });

  it("opens a deal with stage and close date and tells the user its number", async () => {
    const { reply } = await t.command('deal "Acme Corp" 50k stage:proposal close:2026-03-20', "UALICE");
    const [d] = await deals();
    expect(d).toMatchObject({ ownerId: alice.id, amountCents: 5_000_000n, stage: "proposal", status: "open" });
    // Stored as the start of the close day in the user's zone (Los Angeles).
    expect(d!.expectedCloseAt?.toISOString()).toBe("2026-03-20T07:00:00.000Z");
    const text = textOf(reply);
    expect(text).toContain(`#${d!.id}`);
    expect(text).toContain("$50,000");
    expect(text).toContain("proposal");
    expect(text).toContain("Mar 20, 2026");
    expect(text).toContain(`/ae won ${d!.id}`);
  });

  it.each([
    ["deal Acme 10k stage:bogus", "isn't a stage"],
    ["deal Acme ten", "isn't an amount"],
    ["deal Acme 0", "more than zero"],
    ["deal Acme 10k close:2026-01-02", "in the past"],
    ["deal Acme 10k owner:me", "don't know the option"],
  ])("refuses bad input %s, with an example, changing nothing", async (command, problem) => {
    const before = (await deals()).length;
    const { reply } = await t.command(command, "UALICE");
    const text = textOf(reply);
    expect(text).toContain(problem);
    expect(text).toContain("Example:");
    expect(text).toContain("Nothing was changed.");
    expect((await deals()).length).toBe(before);
  });

  it("wins a deal by number, reports attainment and commission, and emits deal.won", async () => {
    const [d] = await deals();
    wins.length = 0;
    const { reply } = await t.command(`won ${d!.id}`, "UALICE");
    const text = textOf(reply);
    expect(text).toContain(`Deal #${d!.id} won`);
    expect(text).toContain("that put you at *50%* of your Q1 FY2026 quota");
    expect(text).toContain("+$5,000 commission");
    const row = await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: d!.id } });
    expect(row).toMatchObject({ status: "won", stage: "won", wonAt: NOW });
    expect(wins).toEqual([{ workspaceId: ws.id, dealId: d!.id, ownerId: alice.id, ownerSlackUserId: "UALICE", accountName: "Acme Corp", amountCents: 50_000_00, currency: "USD" }]);
    const again = await t.command(`won #${d!.id}`, "UALICE");
    expect(textOf(again.reply)).toContain("is already won");
  });

  it("wins by account name (one open deal) with a final amount, crossing 100 % with the bonus", async () => {
    await t.command("deal Acme Corp 40k", "UALICE"); // unquoted multi-word account: the amount is the last word
    const open = (await deals()).filter((d) => d.status === "open");
    expect(open).toHaveLength(1);
    const { reply } = await t.command("won acme 60k", "UALICE");
    const text = textOf(reply);
    // 50k + 60k = 110k of 100k: 50k × 10 % + 10k × 15 % = 6,500, plus the 100 % bonus.
    expect(text).toContain("*110%*");
    expect(text).toContain("+$6,500 commission");
    expect(text).toContain("100% bonus: +$5,000");
    expect((await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: open[0]!.id } })).amountCents).toBe(6_000_000n);
  });

  it("asks which deal when the account has several open ones, and the button finishes the win", async () => {
    await t.command("deal Globex 10k", "UALICE");
    await t.command("deal Globex 20k stage:negotiation", "UALICE");
    const { reply } = await t.command("won globex", "UALICE");
    expect(textOf(reply)).toContain("*Globex* has 2 open deals");
    const buttons = buttonsOf(reply);
    expect(buttons).toHaveLength(2);
    expect(buttons.every((b) => b.action_id.startsWith(`${ACTIONS.rerunCommand}:`))).toBe(true);
    expect((await deals()).filter((d) => d.status === "won")).toHaveLength(2); // nothing guessed

    const target = buttons[1]!;
    const responseUrl = t.fake.responseUrl("pick-deal");
    const http = await t.post(interactionBody(blockActionsPayload({ userId: "UALICE", actionId: target.action_id, value: target.value, responseUrl, isEphemeral: true })));
    expect(http.status).toBe(200);
    const answer = await t.fake.waitForResponse((r) => r.id === "pick-deal");
    expect(answer.body.replace_original).toBe(true);
    expect(textOf(answer.body)).toContain("won: *Globex*, $20,000");
    const globex = (await deals()).filter((d) => d.amountCents === 2_000_000n);
    expect(globex[0]?.status).toBe("won");
  });

  it("marks a deal lost with a reason, and says so when it is already lost", async () => {
    const open = (await deals()).find((d) => d.status === "open")!;
    const { reply } = await t.command(`lost #${open.id} went with <!channel> a competitor`, "UALICE");
    const text = textOf(reply);
    expect(text).toContain(`Deal #${open.id} on *Globex* marked lost`);
    expect(text).not.toContain("<!channel>");
    expect(await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: "lost", stage: "lost", lostAt: NOW });
    expect(textOf((await t.command(`lost ${open.id}`, "UALICE")).reply)).toContain("is already lost");
  });

  it("refuses another rep's deal and account, changing nothing", async () => {
    await t.command("deal Bobco 5k", "UBOB");
    const bobs = (await deals()).find((d) => d.ownerId === bob.id)!;
    const byNumber = await t.command(`won ${bobs.id}`, "UALICE");
    expect(textOf(byNumber.reply)).toContain("belongs to another rep");
    const byName = await t.command("deal Bobco 1k", "UALICE");
    expect(textOf(byName.reply)).toContain("belongs to another rep");
    expect((await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: bobs.id } })).status).toBe("open");
    expect(textOf((await t.command("won 999999", "UALICE")).reply)).toContain("There's no deal #999999");
  });

  it("opens the deal modal without arguments, shows field errors inline, and creates the deal on submit", async () => {
    // No reply comes back: the command answers by opening the modal.
    const triggerId = newTriggerId();
    const http = await t.post(slashCommandBody({ text: "deal", userId: "UALICE", responseUrl: t.fake.responseUrl("deal-modal"), triggerId }));
    expect(http.status).toBe(200);
    const open = await t.fake.waitFor("views.open", (c) => (c.body.view as { callback_id?: string }).callback_id === VIEWS.deal);
    expect(open.body.trigger_id).toBe(triggerId);
    expect(open.response?.ok).toBe(true);

    const values = (account: string, amount: string, close: string | null) => ({
      [DEAL_MODAL.accountBlock]: { [DEAL_MODAL.accountInput]: stateValue.plainText(account) },
      [DEAL_MODAL.amountBlock]: { [DEAL_MODAL.amountInput]: stateValue.plainText(amount) },
      [DEAL_MODAL.stageBlock]: { [DEAL_MODAL.stageInput]: stateValue.staticSelect("qualified") },
      [DEAL_MODAL.closeBlock]: { [DEAL_MODAL.closeInput]: stateValue.datepicker(close) },
    });
    const metadata = JSON.stringify({ channelId: "C0TEST" });
    const before = (await deals()).length;
    const bad = await t.post(interactionBody(viewSubmissionPayload({ userId: "UALICE", callbackId: VIEWS.deal, privateMetadata: metadata, values: values("Nope Industries", "lots", "2025-01-01") })));
    const errors = (bad.json as { response_action: string; errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual([DEAL_MODAL.accountBlock, DEAL_MODAL.amountBlock, DEAL_MODAL.closeBlock].sort());
    expect(errors[DEAL_MODAL.amountBlock]).toContain("isn't an amount");
    expect((await deals()).length).toBe(before);

    const good = await t.post(interactionBody(viewSubmissionPayload({ userId: "UALICE", callbackId: VIEWS.deal, privateMetadata: metadata, values: values("Globex", "15k", "2026-04-30") })));
    expect([good.status, good.text]).toEqual([200, ""]);
    const created = (await deals()).at(-1)!;
    expect(created).toMatchObject({ amountCents: 1_500_000n, stage: "qualified", status: "open", ownerId: alice.id });
    // The form's deal starts its stage history like every other path.
    expect(await t.database.db.prisma.dealStageChange.findMany({ where: { dealId: created.id }, select: { fromStage: true, toStage: true, byUserId: true, source: true } })).toEqual([
      { fromStage: null, toStage: "qualified", byUserId: alice.id, source: "slack" },
    ]);
    const note = await t.fake.waitFor("chat.postEphemeral", (c) => String(c.body.text).includes(`#${created.id}`));
    expect(note.body).toMatchObject({ channel: "C0TEST", user: "UALICE" });
  });

  it("opens the deal modal from the Home tab's Add deal button", async () => {
    const before = t.fake.callsTo("views.open").length;
    const payload = blockActionsPayload({ userId: "UALICE", actionId: ACTIONS.homeAddDeal, view: { id: "VHOME", type: "home" } });
    expect((await t.post(interactionBody(payload))).status).toBe(200);
    await t.fake.waitFor("views.open", (c) => (c.body.view as { callback_id?: string }).callback_id === VIEWS.deal && t!.fake.callsTo("views.open").length > before);
  });
});
