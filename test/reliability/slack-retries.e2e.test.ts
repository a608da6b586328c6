import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/slack/ids.js";
import { deliveryKey } from "../../src/slack/middleware/dedupe-retries.js";
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from "../support/e2e-harness.js";
import { blockActionsPayload, interactionBody } from "../support/slack-requests.js";

describe("Slack's retried deliveries are processed once [sqlite]", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ users: [{ id: "URETRY", real_name: "Rita Retry" }] });
  });
  afterAll(async () => t?.close());

  it("a block action delivered again with x-slack-retry-num runs once", async () => {
    const payload = blockActionsPayload({
      actionId: `${ACTIONS.pickAccount}:1`,
      value: JSON.stringify({ text: "help" }),
      userId: "URETRY",
      responseUrl: t.fake.responseUrl("retry-1"),
    });
    const body = interactionBody(payload);
    const first = await t.post(body);
    expect(first.status).toBe(200);
    await t.fake.waitForResponse((r) => r.id === "retry-1", 5000);
    const retry = await t.post(body, { secret: TEST_SIGNING_SECRET, headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.fake.responsesTo("retry-1")).toHaveLength(1);
    expect(await t.database.db.prisma.processedRequest.count()).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [{ type: "event_callback", event_id: "Ev1", event: {} }, "event:Ev1"],
    [{ type: "block_actions", trigger_id: "123.456" }, "block_actions:123.456"],
    [{ type: "view_submission", trigger_id: "9.9" }, "view_submission:9.9"],
    [{ command: "/ae", trigger_id: "1.2", text: "help" }, undefined],
    ["garbage", undefined],
  ])("delivery key of %j is %s", (body, key) => {
    expect(deliveryKey(body)).toBe(key);
  });
});
