import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { blockActionsPayload, interactionBody, newTriggerId, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { ACTIONS, GIFT_OVERRIDE_MODAL, VIEWS } from "../../src/slack/ids.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";

// 2026-06-10: the $300 FINRA limit (from 2026-03-30) applies; calendar year 2026.
const NOW = new Date("2026-06-10T16:00:00Z");

type Button = { action_id: string; value: string };
type OpenedView = { callback_id: string; private_metadata: string; blocks: unknown[] };

describeEachProvider("/ae gift, entertainment and gifts through Bolt [%s]", (provider) => {
  let t: TestApp;
  let ws: Workspace;
  let alice: User;
  let johnContactId: number;

  beforeAll(async () => {
    const seeded = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UALICE", real_name: "Alice Adams", tz: "America/Los_Angeles", locale: "en-US" },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
      ],
    });
    t = seeded;
    ({ ws, users: { UALICE: alice } } = seeded);
    const bernd = seeded.users.UBERND;
    const acme = await t.services.repos.accounts.create({ workspaceId: ws.id, ownerId: alice.id, name: "Acme Corp" });
    await t.services.repos.accounts.create({ workspaceId: ws.id, ownerId: bernd.id, name: "Bosch" });
    johnContactId = (await t.database.db.prisma.contact.create({ data: { accountId: acme.id, name: "John Doe", nameKey: "john doe" } })).id;
  });
  afterAll(async () => t?.close());

  const gifts = () => t!.database.db.prisma.gift.findMany({ orderBy: { id: "asc" } });

  it("logs a gift under the limit against the existing contact and shows the headroom", async () => {
    const text = textOf((await t.command('gift "Acme Corp" "John Doe" 120 Bottle of wine', "UALICE")).reply);
    expect(text).toContain("Gift to *John Doe* (Acme Corp) logged: $120 — Bottle of wine.");
    expect(text).toContain("John Doe has received $120 of the $300 per-person limit in 2026; $180 left.");
    expect(await gifts()).toMatchObject([
      { kind: "gift", contactId: johnContactId, userId: alice.id, recipientName: "John Doe", recipientKey: "john doe", amountCents: 12_000n, givenOn: "2026-06-10", description: "Bottle of wine", overLimit: false, overrideReason: null },
    ]);
  });

  it("logs entertainment without counting it, and creates a contact for a new recipient", async () => {
    const text = textOf((await t.command('entertainment "Acme Corp" "John Doe" 250 Dinner at Nobu after the QBR', "UALICE")).reply);
    expect(text).toContain("Entertainment with *John Doe* (Acme Corp) logged: $250");
    expect(text).toContain("doesn't count toward the gift limit");
    const jane = textOf((await t.command("gift acme Jane Roe 40 Book", "UALICE")).reply); // unquoted recipient: up to the amount
    expect(jane).toContain("Gift to *Jane Roe*");
    expect(jane).toContain("Jane Roe was added as a contact on Acme Corp.");
  });

  it.each([
    ["gift Acme", "Tell me who received it"],
    ["gift Acme 50 Wine", "Tell me who received it"],
    ['gift Acme "John Doe" wine', "Tell me the amount"],
    ['gift Acme "John Doe" 50', "Add a short description"],
    ['gift Acme "John Doe" 50 Wine date:2026-07-01', "in the future"],
  ])("rejects %s with an example, saving nothing", async (command, problem) => {
    const before = (await gifts()).length;
    const text = textOf((await t.command(command, "UALICE")).reply);
    expect(text).toContain(problem);
    expect(text).toContain("Example:");
    expect((await gifts()).length).toBe(before);
  });

  it("refuses a gift over the limit, then logs it once confirmed with a reason via button and modal", async () => {
    const before = (await gifts()).length;
    const { reply } = await t.command('gift "Acme Corp" "John Doe" $200 Concert tickets', "UALICE", { channelId: "C0TEST" });
    const text = textOf(reply);
    expect(text).toContain("*Not logged.* This gift would bring John Doe to $320 in 2026: $20 over the $300 per-person limit (given so far: $120).");
    expect((await gifts()).length).toBe(before);
    const blocks = reply.blocks as { type: string; elements?: Button[] }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.confirmGift)!;
    expect(button).toBeDefined();

    const giftTrigger = newTriggerId();
    const http = await t.post(interactionBody(blockActionsPayload({ userId: "UALICE", actionId: ACTIONS.confirmGift, value: button.value, isEphemeral: true, triggerId: giftTrigger, responseUrl: t.fake.responseUrl("gift-btn") })));
    expect(http.status).toBe(200);
    const open = await t.fake.waitFor("views.open", (c) => (c.body.view as OpenedView).callback_id === VIEWS.giftOverride);
    expect(open.body.trigger_id).toBe(giftTrigger);
    expect(open.response?.ok).toBe(true);
    const view = open.body.view as OpenedView;
    expect(JSON.stringify(view.blocks)).toContain("$20 over the $300 limit");
    expect(JSON.parse(view.private_metadata)).toMatchObject({ recipientName: "John Doe", amountCents: 20_000, description: "Concert tickets", kind: "gift", givenOn: "2026-06-10", channelId: "C0TEST" });

    const submit = (reason: string | null) =>
      t!.post(interactionBody(viewSubmissionPayload({
        userId: "UALICE",
        callbackId: VIEWS.giftOverride,
        privateMetadata: view.private_metadata,
        values: { [GIFT_OVERRIDE_MODAL.reasonBlock]: { [GIFT_OVERRIDE_MODAL.reasonInput]: stateValue.plainText(reason) } },
      })));
    const empty = await submit("   ");
    expect(empty.json).toEqual({ response_action: "errors", errors: { [GIFT_OVERRIDE_MODAL.reasonBlock]: "A reason is required to log a gift over the limit." } });
    expect((await gifts()).length).toBe(before);

    const ok = await submit("Client's 25th anniversary; approved by compliance (ticket 4411)");
    expect([ok.status, ok.text]).toEqual([200, ""]);
    const saved = (await gifts()).at(-1)!;
    expect(saved).toMatchObject({ amountCents: 20_000n, overLimit: true, overrideReason: "Client's 25th anniversary; approved by compliance (ticket 4411)", contactId: johnContactId });
    const note = await t.fake.waitFor("chat.postEphemeral", (c) => String(c.body.text).includes("Logged over the limit"));
    expect(note.body).toMatchObject({ channel: "C0TEST", user: "UALICE" });
    expect(String(note.body.text)).toContain("John Doe is at $320 in 2026, $20 over the $300 limit");
  });

  it("ignores a forged confirmation button", async () => {
    const before = (await gifts()).length;
    const value = JSON.stringify({ accountId: 1, kind: "gift", recipientName: "", amountCents: -5 });
    await t.post(interactionBody(blockActionsPayload({ userId: "UALICE", actionId: ACTIONS.confirmGift, value, responseUrl: t.fake.responseUrl("forged-gift") })));
    const answer = await t.fake.waitForResponse((r) => r.id === "forged-gift");
    expect(textOf(answer.body)).toContain("no longer carries a valid gift");
    expect((await gifts()).length).toBe(before);
  });

  it("lists this year's gifts per recipient against the limit, filtered by recipient or account", async () => {
    const text = textOf((await t.command("gifts", "UALICE")).reply);
    expect(text).toContain("*Gifts and entertainment in 2026* · limit $300 per person");
    expect(text).toContain("*John Doe* — :warning: $320 of $300, $20 over");
    expect(text).toContain("*Jane Roe* — $40 of $300 counted, $260 left");
    expect(text).toContain("over the limit: “Client's 25th anniversary");
    const john = textOf((await t.command("gifts john", "UALICE")).reply);
    expect(john).toContain("John Doe");
    expect(john).not.toContain("Jane Roe");
    expect(textOf((await t.command('gifts "Acme Corp"', "UALICE")).reply)).toContain("— Acme Corp*");
  });

  it("applies a stricter firm limit set by an admin", async () => {
    await t.services.gifts.updateSettings(ws.id, { firmLimitCents: 100_00 });
    const text = textOf((await t.command("gift acme Jane Roe 70 Scarf", "UALICE")).reply);
    expect(text).toContain("would bring Jane Roe to $110 in 2026: $10 over the $100 per-person limit");
    await t.services.gifts.updateSettings(ws.id, { firmLimitCents: null });
  });

  it("answers in German for a de-DE user", async () => {
    const text = textOf((await t.command('geschenk Bosch "Hans Meier" 50 Wein', "UBERND")).reply);
    expect(text).toContain("Geschenk an *Hans Meier* (Bosch) eingetragen: 50\u00a0$ — Wein.");
    expect(text).toContain("im Jahr 2026");
  });
});
