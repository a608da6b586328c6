import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { newTriggerId, slashCommandBody } from "../support/slack-requests.js";
import { describeEachProvider } from "../support/providers.js";

/**
 * A command's answer rides in the acknowledgement when it is ready within the budget (one HTTP
 * exchange), and goes through response_url after an empty ack when the command is slow. The
 * budget here is 300 ms; a command is made slow on purpose by making Slack's users.info (the
 * first-contact profile lookup) take 1.5 s.
 */
describeEachProvider("answering a command in the acknowledgement [%s]", (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      provider,
      ackBudgetMs: 300,
      users: [
        { id: "UFAST", real_name: "Fay Fast", tz: "Europe/Berlin" },
        { id: "USLOW", real_name: "Sol Slow", tz: "Europe/Berlin" },
      ],
    });
  });
  afterAll(async () => t?.close());

  it("a reply ready in time is the body of the acknowledgement, and nothing is posted to response_url", async () => {
    const { http, reply, via } = await t.command("help", "UFAST");
    expect(via).toBe("ack");
    expect(http.json).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(reply)).toContain("/ae accounts");
    await t.deliveries.settled();
    expect(t.fake.responses).toEqual([]);
  });

  it("a slow command is acked empty within the budget and answered through response_url, once", async () => {
    t.fake.failNext("users.info", { delayMs: 1500 });
    const { http, reply, via } = await t.command("help", "USLOW");
    expect(via).toBe("response_url");
    expect(http.status).toBe(200);
    expect(http.text).toBe("");
    expect(textOf(reply)).toContain("/ae accounts");
    await t.deliveries.settled();
    expect(t.fake.responses.filter((r) => textOf(r.body).includes("/ae accounts"))).toHaveLength(1);
    expect(t.logs.filter((l) => /ERROR|multiple ack|acknowledg/i.test(l))).toEqual([]);
  });

  it("the same user's next command, now fast, is answered in the acknowledgement again", async () => {
    const before = t.fake.responses.length;
    const { via, reply } = await t.command("accounts", "USLOW");
    expect(via).toBe("ack");
    expect(textOf(reply)).not.toBe("");
    await t.deliveries.settled();
    expect(t.fake.responses).toHaveLength(before);
  });

  it("a command that opens a modal is acked empty, once, and posts no reply", async () => {
    const before = t.fake.responses.length;
    const triggerId = newTriggerId();
    const http = await t.post(
      slashCommandBody({ text: "settings", userId: "UFAST", responseUrl: t.fake.responseUrl("modal"), triggerId }),
    );
    expect(http.status).toBe(200);
    expect(http.text).toBe("");
    const opened = await t.fake.waitFor("views.open", (c) => c.body.trigger_id === triggerId);
    expect(opened.response?.ok).toBe(true);
    await t.deliveries.settled();
    expect(t.fake.responses).toHaveLength(before);
  });
});
