import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNT_MODAL, ACTIONS, FOLLOWUP_MODAL, SHORTCUTS, TOUCH_MODAL, VIEWS } from "../../src/slack/ids.js";
import type { DomainEvents } from "../../src/services/domain-events.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import type { FakeSlackCall } from "../support/fake-slack.js";
import {
  blockActionsPayload,
  interactionBody,
  messageActionPayload,
  newTriggerId,
  slashCommandBody,
  stateValue,
  viewSubmissionPayload,
} from "../support/slack-requests.js";

type Json = Record<string, unknown>;
type View = {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  submit?: unknown;
  blocks: { type: string; block_id?: string; element?: Json; elements?: Json[] }[];
};

// Wednesday 2026-03-04, 10:00 in Los Angeles.
const NOW = new Date("2026-03-04T18:00:00Z");

describe("account, touch and follow-up modals, Home buttons and the message shortcut [sqlite]", () => {
  let t: TestApp;
  const events: DomainEvents["user.changed"][] = [];

  beforeAll(async () => {
    t = await startTestApp({
      now: NOW,
      users: [
        { id: "UALICE", real_name: "Alice Adams", tz: "America/Los_Angeles", locale: "en-US" },
        { id: "UBOB", real_name: "Bob Brown", tz: "America/New_York", locale: "en-US" },
        { id: "UNEW", real_name: "Nora New", tz: "UTC", locale: "en-US" },
      ],
    });
    t.services.events.on("user.changed", (e) => {
      events.push(e);
    });
    // Alice has one account to start with.
    await t.command('account add "Acme Corp" tier:key', "UALICE");
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db.prisma;

  /** Runs `/ae <text>` that should open a modal (no reply); returns the views.open call. */
  async function openByCommand(text: string, user: string): Promise<{ call: FakeSlackCall; view: View }> {
    const triggerId = newTriggerId();
    const http = await t.post(slashCommandBody({ text, userId: user, responseUrl: t.fake.responseUrl(`cmd-${randomBytes(4).toString("hex")}`), triggerId }));
    expect(http.status).toBe(200);
    const call = await t.fake.waitFor("views.open", (c) => c.body.trigger_id === triggerId, 10_000);
    expect(call.response?.ok).toBe(true);
    return { call, view: call.body.view as View };
  }

  async function submit(callbackId: string, user: string, values: Json, privateMetadata = ""): Promise<{ status: number; json: unknown; text: string }> {
    const http = await t.post(interactionBody(viewSubmissionPayload({ callbackId, userId: user, values, privateMetadata })));
    expect(http.status).toBe(200);
    return { status: http.status, json: http.json, text: http.text };
  }

  /** Waits for the "user.changed" event (the Home refresh) a change emits right after it is stored. */
  async function changedAfter(index: number, slackUserId: string): Promise<void> {
    await vi.waitFor(() => expect(events.slice(index).map((e) => e.slackUserId)).toContain(slackUserId), { timeout: 5000 });
  }

  function blockIds(view: View): string[] {
    return view.blocks.map((b) => b.block_id ?? "");
  }

  async function acme() {
    return db().account.findFirstOrThrow({ where: { name: "Acme Corp" } });
  }

  describe("add account", () => {
    it("/ae account add without arguments opens the modal, and nothing is answered", async () => {
      const before = t.fake.responses.length;
      const { view } = await openByCommand("account add", "UALICE");
      expect(view.callback_id).toBe(VIEWS.addAccount);
      expect(view.title.text).toBe("Add account");
      expect(blockIds(view)).toEqual([ACCOUNT_MODAL.name, ACCOUNT_MODAL.tier, ACCOUNT_MODAL.value, ACCOUNT_MODAL.industry, ACCOUNT_MODAL.individual]);
      expect(JSON.parse(view.private_metadata)).toEqual({ c: "C0TEST" });
      // The command's listener has run to the end (the modal was its whole answer): no reply can still come.
      await t.deliveries.settled();
      expect(t.fake.responses.length).toBe(before);
    });

    it("shows every problem on its field and stores nothing", async () => {
      const count = await db().account.count();
      const res = await submit(VIEWS.addAccount, "UALICE", {
        [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText("  \u200b ") },
        [ACCOUNT_MODAL.tier]: { [ACCOUNT_MODAL.tier]: stateValue.staticSelect("growth") },
        [ACCOUNT_MODAL.value]: { [ACCOUNT_MODAL.value]: stateValue.plainText("twelve") },
        [ACCOUNT_MODAL.industry]: { [ACCOUNT_MODAL.industry]: stateValue.plainText("i".repeat(101)) },
      });
      expect(res.json).toEqual({
        response_action: "errors",
        errors: {
          [ACCOUNT_MODAL.name]: "The account needs a name.",
          [ACCOUNT_MODAL.value]: "I can't read “twelve” as an amount. Try 120k, $120,000 or 120.000 €.",
        },
      });
      const dup = await submit(VIEWS.addAccount, "UALICE", {
        [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText("acme CORP") },
        [ACCOUNT_MODAL.tier]: { [ACCOUNT_MODAL.tier]: stateValue.staticSelect("gold") },
      });
      expect(dup.json).toEqual({ response_action: "errors", errors: { [ACCOUNT_MODAL.tier]: "“gold” is not a tier. Use key, growth or standard." } });
      const dup2 = await submit(VIEWS.addAccount, "UALICE", { [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText("acme CORP") } });
      expect(dup2.json).toEqual({ response_action: "errors", errors: { [ACCOUNT_MODAL.name]: "You already have an account called “Acme Corp”." } });
      const long = await submit(VIEWS.addAccount, "UALICE", { [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText("n".repeat(10_000)) } });
      expect(long.json).toEqual({ response_action: "errors", errors: { [ACCOUNT_MODAL.name]: "That name is too long: at most 200 characters." } });
      expect(await db().account.count()).toBe(count);
    });

    it("stores a valid submission, closes the modal, refreshes Home and confirms in the channel", async () => {
      const before = events.length;
      const res = await submit(
        VIEWS.addAccount,
        "UALICE",
        {
          [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText("Initech") },
          [ACCOUNT_MODAL.tier]: { [ACCOUNT_MODAL.tier]: stateValue.staticSelect("growth") },
          [ACCOUNT_MODAL.value]: { [ACCOUNT_MODAL.value]: stateValue.plainText("$1.5m") },
          [ACCOUNT_MODAL.industry]: { [ACCOUNT_MODAL.industry]: stateValue.plainText("Software") },
          [ACCOUNT_MODAL.individual]: { [ACCOUNT_MODAL.individual]: stateValue.checkboxes(["individual"]) },
        },
        JSON.stringify({ c: "C0TEST" }),
      );
      expect(res.text).toBe("");
      const initech = await db().account.findFirstOrThrow({ where: { name: "Initech" } });
      expect(initech).toMatchObject({ tier: "growth", industry: "Software", kind: "individual" });
      expect(Number(initech.annualValueCents)).toBe(150_000_000);
      await changedAfter(before, "UALICE");
      const confirm = await t.fake.waitFor("chat.postEphemeral", (c) => String(c.body.text).includes("Initech"));
      expect(confirm.body).toMatchObject({ channel: "C0TEST", user: "UALICE" });
    });
  });

  describe("log a touch", () => {
    it("/ae log opens the modal with my accounts; /ae log <account> preselects it", async () => {
      const { view } = await openByCommand("log", "UALICE");
      expect(view.callback_id).toBe(VIEWS.logTouch);
      expect(blockIds(view)).toEqual([TOUCH_MODAL.account, TOUCH_MODAL.kind, TOUCH_MODAL.date, TOUCH_MODAL.participants, TOUCH_MODAL.note]);
      const select = view.blocks[0]!.element as { options: { text: { text: string }; value: string }[]; initial_option?: unknown };
      expect(select.options.map((o) => o.text.text).sort()).toEqual(["Acme Corp", "Initech"]);
      expect(select.initial_option).toBeUndefined();
      expect((view.blocks[2]!.element as { initial_date: string }).initial_date).toBe("2026-03-04");

      for (const command of ["log acme", "log acme corp"]) {
        const pre = await openByCommand(command, "UALICE");
        const preSelect = pre.view.blocks[0]!.element as { initial_option?: { value: string } };
        expect(preSelect.initial_option?.value).toBe(String((await acme()).id));
      }
    });

    it("shows problems on their fields (no account, future day, long note) and stores nothing", async () => {
      const count = await db().touch.count();
      const res = await submit(VIEWS.logTouch, "UALICE", {
        [TOUCH_MODAL.account]: { [TOUCH_MODAL.account]: stateValue.staticSelect(null) },
        [TOUCH_MODAL.kind]: { [TOUCH_MODAL.kind]: stateValue.staticSelect("call") },
        [TOUCH_MODAL.date]: { [TOUCH_MODAL.date]: stateValue.datepicker("2026-03-05") },
        [TOUCH_MODAL.note]: { [TOUCH_MODAL.note]: stateValue.plainText("n".repeat(3001)) },
      });
      expect(res.json).toEqual({
        response_action: "errors",
        errors: {
          [TOUCH_MODAL.account]: "Pick an account.",
          [TOUCH_MODAL.date]: "That is in the future. Log touches that happened.",
          [TOUCH_MODAL.note]: "The note is too long: at most 3000 characters.",
        },
      });
      const badKind = await submit(VIEWS.logTouch, "UALICE", {
        [TOUCH_MODAL.account]: { [TOUCH_MODAL.account]: stateValue.staticSelect(String((await acme()).id)) },
        [TOUCH_MODAL.kind]: { [TOUCH_MODAL.kind]: stateValue.staticSelect("telepathy") },
        [TOUCH_MODAL.date]: { [TOUCH_MODAL.date]: stateValue.datepicker("2026-03-04") },
      });
      expect(badKind.json).toEqual({ response_action: "errors", errors: { [TOUCH_MODAL.kind]: "Pick what kind of touch it was." } });
      expect(await db().touch.count()).toBe(count);
    });

    it("refuses a forged submission for another rep's account on the account field", async () => {
      const count = await db().touch.count();
      const res = await submit(VIEWS.logTouch, "UBOB", {
        [TOUCH_MODAL.account]: { [TOUCH_MODAL.account]: stateValue.staticSelect(String((await acme()).id)) },
        [TOUCH_MODAL.kind]: { [TOUCH_MODAL.kind]: stateValue.staticSelect("call") },
        [TOUCH_MODAL.date]: { [TOUCH_MODAL.date]: stateValue.datepicker("2026-03-04") },
      });
      expect(res.json).toEqual({ response_action: "errors", errors: { [TOUCH_MODAL.account]: "That belongs to another rep, so I can't show or change it." } });
      expect(await db().touch.count()).toBe(count);
    });

    it("stores a valid touch on the picked day with colleagues, and moves lastTouchAt", async () => {
      const before = events.length;
      const account = await acme();
      const res = await submit(VIEWS.logTouch, "UALICE", {
        [TOUCH_MODAL.account]: { [TOUCH_MODAL.account]: stateValue.staticSelect(String(account.id)) },
        [TOUCH_MODAL.kind]: { [TOUCH_MODAL.kind]: stateValue.staticSelect("meal") },
        [TOUCH_MODAL.date]: { [TOUCH_MODAL.date]: stateValue.datepicker("2026-03-03") },
        [TOUCH_MODAL.participants]: { [TOUCH_MODAL.participants]: { type: "multi_users_select", selected_users: ["UBOB", "not a user"] } },
        [TOUCH_MODAL.note]: { [TOUCH_MODAL.note]: stateValue.plainText("Lunch with the CFO\nsecond line") },
      });
      expect(res.text).toBe("");
      const touch = await db().touch.findFirstOrThrow({ where: { accountId: account.id, kind: "meal" }, include: { participants: true } });
      expect(touch).toMatchObject({ source: "modal", note: "Lunch with the CFO\nsecond line" });
      expect(touch.occurredAt.toISOString()).toBe("2026-03-03T20:00:00.000Z"); // noon in Los Angeles
      expect(touch.participants.map((p) => p.slackUserId)).toEqual(["UBOB"]);
      expect((await acme()).lastTouchAt?.toISOString()).toBe("2026-03-03T20:00:00.000Z");
      await changedAfter(before, "UALICE");
    });

    it("a user without accounts gets a modal that says how to add one", async () => {
      const { view } = await openByCommand("log", "UNEW");
      expect(view.callback_id).toBe(VIEWS.logTouch);
      expect(view.submit).toBeUndefined();
      expect(JSON.stringify(view.blocks)).toContain("You have no accounts yet.");
    });

    it("tells the user when Slack refuses to open the modal", async () => {
      t.fake.failNext("views.open", { error: "expired_trigger_id" });
      const { reply } = await t.command("log", "UALICE");
      expect(textOf(reply)).toContain("I couldn't open the form");
    });
  });

  describe("follow-up", () => {
    it("/ae followup opens the modal due tomorrow; problems go onto their fields", async () => {
      const { view } = await openByCommand("followup", "UALICE");
      expect(view.callback_id).toBe(VIEWS.followUp);
      expect(blockIds(view)).toEqual([FOLLOWUP_MODAL.account, FOLLOWUP_MODAL.title, FOLLOWUP_MODAL.due]);
      expect((view.blocks[2]!.element as { initial_date: string }).initial_date).toBe("2026-03-05");
      const count = await db().followUp.count();
      const res = await submit(VIEWS.followUp, "UALICE", {
        [FOLLOWUP_MODAL.account]: { [FOLLOWUP_MODAL.account]: stateValue.staticSelect(String((await acme()).id)) },
        [FOLLOWUP_MODAL.title]: { [FOLLOWUP_MODAL.title]: stateValue.plainText("send pricing") },
        [FOLLOWUP_MODAL.due]: { [FOLLOWUP_MODAL.due]: stateValue.datepicker("2026-03-03") },
      });
      expect(res.json).toEqual({ response_action: "errors", errors: { [FOLLOWUP_MODAL.due]: "That date is in the past. Pick today or later." } });
      const empty = await submit(VIEWS.followUp, "UALICE", {
        [FOLLOWUP_MODAL.account]: { [FOLLOWUP_MODAL.account]: stateValue.staticSelect("not-a-number") },
        [FOLLOWUP_MODAL.title]: { [FOLLOWUP_MODAL.title]: stateValue.plainText("   ") },
        [FOLLOWUP_MODAL.due]: { [FOLLOWUP_MODAL.due]: stateValue.datepicker(null) },
      });
      expect(empty.json).toEqual({
        response_action: "errors",
        errors: { [FOLLOWUP_MODAL.account]: "Pick an account.", [FOLLOWUP_MODAL.title]: "What needs doing? Add it after the date." },
      });
      expect(await db().followUp.count()).toBe(count);
    });

    it("stores a valid follow-up due at the start of the day in the user's zone", async () => {
      const res = await submit(VIEWS.followUp, "UALICE", {
        [FOLLOWUP_MODAL.account]: { [FOLLOWUP_MODAL.account]: stateValue.staticSelect(String((await acme()).id)) },
        [FOLLOWUP_MODAL.title]: { [FOLLOWUP_MODAL.title]: stateValue.plainText("send pricing") },
        [FOLLOWUP_MODAL.due]: { [FOLLOWUP_MODAL.due]: stateValue.datepicker("2026-03-09") },
      });
      expect(res.text).toBe("");
      const f = await db().followUp.findFirstOrThrow({ where: { title: "send pricing" } });
      expect(f.dueAt.toISOString()).toBe("2026-03-09T07:00:00.000Z"); // midnight PDT, after the DST change
    });
  });

  describe("Home tab and account page buttons", () => {
    async function clickOnHome(actionId: string, value?: string, viewType: "home" | "modal" = "home"): Promise<FakeSlackCall> {
      const triggerId = newTriggerId();
      const payload = blockActionsPayload({
        userId: "UALICE",
        actionId,
        ...(value !== undefined ? { value } : {}),
        triggerId,
        view: { id: "VHOME", type: viewType, callback_id: viewType === "home" ? "" : VIEWS.accountSummary },
      });
      const http = await t.post(interactionBody(payload));
      expect(http.status).toBe(200);
      return t.fake.waitFor(viewType === "home" ? "views.open" : "views.push", (c) => c.body.trigger_id === triggerId, 10_000);
    }

    it("Add account, Log touch and Add follow-up open their modals", async () => {
      expect(((await clickOnHome(ACTIONS.homeAddAccount)).body.view as View).callback_id).toBe(VIEWS.addAccount);
      const log = (await clickOnHome(ACTIONS.homeLogTouch)).body.view as View;
      expect(log.callback_id).toBe(VIEWS.logTouch);
      expect(JSON.parse(log.private_metadata)).toEqual({});
      expect(((await clickOnHome(ACTIONS.homeAddFollowUp)).body.view as View).callback_id).toBe(VIEWS.followUp);
    });

    it("the account page's buttons preselect the account, pushed onto a modal when clicked in one", async () => {
      const id = (await acme()).id;
      const log = (await clickOnHome(ACTIONS.homeLogTouch, JSON.stringify({ accountId: id }), "modal")).body.view as View;
      expect((log.blocks[0]!.element as { initial_option?: { value: string } }).initial_option?.value).toBe(String(id));
      const fu = (await clickOnHome(ACTIONS.homeAddFollowUp, JSON.stringify({ accountId: id }))).body.view as View;
      expect((fu.blocks[0]!.element as { initial_option?: { value: string } }).initial_option?.value).toBe(String(id));
    });
  });

  describe("Log as touch (message shortcut)", () => {
    it("opens a modal prefilled with the message and its permalink; saving stores a message touch", async () => {
      const triggerId = newTriggerId();
      const ts = "1772640000.000100"; // 2026-03-04T16:00:00Z
      const payload = messageActionPayload({
        callbackId: SHORTCUTS.logMessageAsTouch,
        userId: "UALICE",
        triggerId,
        responseUrl: t.fake.responseUrl("shortcut"),
        message: { ts, text: "Customer says &lt;yes&gt; to the pilot, cc <@UBOB>", user: "UBOB" },
      });
      expect((await t.post(interactionBody(payload))).status).toBe(200);
      const call = await t.fake.waitFor("views.open", (c) => c.body.trigger_id === triggerId, 10_000);
      const view = call.body.view as View;
      expect(view.callback_id).toBe(VIEWS.messageTouch);
      expect(t.fake.callsTo("chat.getPermalink").some((c) => c.body.message_ts === ts && c.body.channel === "C0TEST")).toBe(true);
      const note = view.blocks.find((b) => b.block_id === TOUCH_MODAL.note)!.element as { initial_value: string };
      expect(note.initial_value).toBe("Customer says <yes> to the pilot, cc <@UBOB>");
      const permalink = "https://fake-workspace.slack.com/archives/C0TEST/p1772640000000100";
      expect(JSON.stringify(view.blocks[0])).toContain(permalink);
      expect(JSON.parse(view.private_metadata)).toEqual({ c: "C0TEST", ts, p: permalink });

      const missing = await submit(VIEWS.messageTouch, "UALICE", { [TOUCH_MODAL.note]: { [TOUCH_MODAL.note]: stateValue.plainText(note.initial_value) } }, view.private_metadata);
      expect(missing.json).toEqual({ response_action: "errors", errors: { [TOUCH_MODAL.account]: "Pick an account.", [TOUCH_MODAL.kind]: "Pick what kind of touch it was." } });

      const account = await acme();
      const res = await submit(
        VIEWS.messageTouch,
        "UALICE",
        {
          [TOUCH_MODAL.account]: { [TOUCH_MODAL.account]: stateValue.staticSelect(String(account.id)) },
          [TOUCH_MODAL.kind]: { [TOUCH_MODAL.kind]: stateValue.staticSelect("email") },
          [TOUCH_MODAL.note]: { [TOUCH_MODAL.note]: stateValue.plainText(note.initial_value) },
        },
        view.private_metadata,
      );
      expect(res.text).toBe("");
      const touch = await db().touch.findFirstOrThrow({ where: { source: "message" } });
      expect(touch).toMatchObject({ accountId: account.id, kind: "email", sourceRef: permalink, note: "Customer says <yes> to the pilot, cc <@UBOB>" });
      expect(touch.occurredAt.toISOString()).toBe("2026-03-04T16:00:00.000Z");
      const page = await t.command('account "Acme Corp"', "UALICE");
      expect(textOf(page.reply)).toContain(`<${permalink}|message>`);
    });
  });
});
