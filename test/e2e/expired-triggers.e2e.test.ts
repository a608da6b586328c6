import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_MODAL, ACTIONS, VIEWS } from "../../src/slack/ids.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { blockActionsPayload, interactionBody, newTriggerId, slashCommandBody, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";

// Slack accepts a trigger id once, within 3 seconds. The emulator enforces that, so a trigger
// issued 10 s ago stands for a command or click that reached the bot too late (a slow network, a
// cold start): every form must then say so in words, never "Sorry, something went wrong".
const STALE = () => newTriggerId(Date.now() - 10_000);
const FRIENDLY = /couldn't open the (form|deal form|workspace settings)/;

describe("a form that Slack refuses to open is explained, never an internal error [sqlite]", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      provider: "sqlite",
      users: [
        { id: "UALICE", real_name: "Alice Adams", locale: "en-US" },
        { id: "UADMIN", real_name: "Ada Admin", locale: "en-US", is_admin: true },
      ],
    });
    await t.command('account add "Acme Corp" tier:key', "UALICE");
    await t.command("help", "UADMIN");
  });
  afterAll(async () => t?.close());

  it.each([
    ["log", "UALICE"],
    ["followup", "UALICE"],
    ["account add", "UALICE"],
    ["deal", "UALICE"],
    ["settings", "UALICE"],
    ["team", "UADMIN"],
    ['team create "West Coast"', "UADMIN"],
    ['team edit "West Coast"', "UADMIN"],
    ["admin", "UADMIN"],
  ])("/ae %s with an expired trigger", async (text, user) => {
    const refusalsBefore = t.fake.callsTo("views.open").filter((c) => c.response?.error === "expired_trigger_id").length;
    const { reply } = await t.command(text, user, { triggerId: STALE() });
    const said = textOf(reply);
    if (text.startsWith("team create")) {
      // Creating by name needs no form: it answers inline.
      expect(said).toContain("West Coast");
      return;
    }
    expect(said).toMatch(FRIENDLY);
    expect(said).not.toContain("something went wrong");
    expect(t.fake.callsTo("views.open").filter((c) => c.response?.error === "expired_trigger_id").length).toBe(refusalsBefore + 1);
  });

  it.each([ACTIONS.homeAddAccount, ACTIONS.homeLogTouch, ACTIONS.homeAddFollowUp, ACTIONS.homeAddDeal, ACTIONS.homeSettings, ACTIONS.homeAdmin])(
    "the Home tab's %s button with an expired trigger gets a DM saying so",
    async (actionId) => {
      const user = actionId === ACTIONS.homeAdmin ? "UADMIN" : "UALICE";
      const mark = t.fake.calls.length; // only calls after this click count
      const http = await t.post(interactionBody(blockActionsPayload({ userId: user, actionId, triggerId: STALE(), view: { id: "VHOME", type: "home", callback_id: "" } })));
      expect(http.status).toBe(200);
      const dm = await t.fake.waitFor("chat.postMessage", (c) => c.body.channel === user && t.fake.calls.indexOf(c) >= mark, 10_000);
      expect(dm.body.text).toBe("I couldn't open the form: Slack allows that only for a few seconds after the command or click. Please try again.");
    },
  );

  it("the reminder's Lost button on a deal row with an expired trigger gets a DM saying so", async () => {
    await t.command('deal "Acme Corp" 5k', "UALICE");
    const deal = await t.database.db.prisma.deal.findFirstOrThrow({ where: { status: "open" }, orderBy: { id: "desc" } });
    const mark = t.fake.calls.length;
    const http = await t.post(
      interactionBody(blockActionsPayload({ userId: "UALICE", actionId: ACTIONS.dealLost, value: JSON.stringify({ d: deal.id }), triggerId: STALE(), channelId: "DUALICE" })),
    );
    expect(http.status).toBe(200);
    const dm = await t.fake.waitFor("chat.postMessage", (c) => c.body.channel === "UALICE" && t.fake.calls.indexOf(c) >= mark, 10_000);
    expect(dm.body.text).toBe("I couldn't open the form: Slack allows that only for a few seconds after the command or click. Please try again.");
    expect(t.fake.callsTo("views.open").filter((c) => t.fake.calls.indexOf(c) >= mark).map((c) => c.response?.error)).toEqual(["expired_trigger_id"]);
    expect((await t.database.db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } })).status).toBe("open");
  });

  it("a trigger used once cannot open a second form", async () => {
    const trigger = newTriggerId();
    const http = await t.post(slashCommandBody({ text: "settings", userId: "UALICE", triggerId: trigger, responseUrl: t.fake.responseUrl(`once-${trigger}`) }));
    expect(http.status).toBe(200);
    const opened = await t.fake.waitFor("views.open", (c) => c.body.trigger_id === trigger, 10_000);
    expect(opened.response?.ok).toBe(true);
    const second = await t.command("settings", "UALICE", { triggerId: trigger });
    expect(textOf(second.reply)).toMatch(FRIENDLY);
  });

  it("adding an account from the Home tab is confirmed by DM, like every form without a channel", async () => {
    const http = await t.post(
      interactionBody(
        viewSubmissionPayload({
          callbackId: VIEWS.addAccount,
          userId: "UALICE",
          values: {
            [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText("Globex") },
            [ACCOUNT_MODAL.tier]: { [ACCOUNT_MODAL.tier]: stateValue.staticSelect("growth") },
          },
          privateMetadata: "{}",
        }),
      ),
    );
    expect(http.status).toBe(200);
    const dm = await t.fake.waitFor("chat.postMessage", (c) => c.body.channel === "UALICE" && String(c.body.text).includes("Globex"), 10_000);
    expect(String(dm.body.text)).toContain(":white_check_mark:");
  });
});
