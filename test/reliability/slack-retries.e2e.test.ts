import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_MODAL, ACTIONS, VIEWS } from "../../src/slack/ids.js";
import { deliveryKey } from "../../src/slack/middleware/dedupe-retries.js";
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from "../support/e2e-harness.js";
import { appHomeOpenedEvent, blockActionsPayload, eventCallback, interactionBody, jsonBody, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";

const RETRY = { secret: TEST_SIGNING_SECRET, headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } };

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
    // The retry reached the app and the app has finished with it: a second answer could no longer come.
    await t.deliveries.settled();
    expect(t.fake.responsesTo("retry-1")).toHaveLength(1);
    expect(await t.database.db.prisma.processedRequest.count()).toBeGreaterThanOrEqual(1);
  });

  it("an event (app_home_opened) retried after it was handled, and one retried while it is still running, each publish the Home tab once", async () => {
    const first = jsonBody(eventCallback(appHomeOpenedEvent({ userId: "URETRY" })));
    expect((await t.post(first)).status).toBe(200);
    await t.fake.waitFor("views.publish", (c) => c.body.user_id === "URETRY", 5000);
    expect((await t.post(first, RETRY)).status).toBe(200);
    // Slack retries when the first delivery was slow: here the retry arrives while the first still runs.
    const second = jsonBody(eventCallback(appHomeOpenedEvent({ userId: "URETRY" })));
    const [a, b] = await Promise.all([t.post(second), t.post(second, { ...RETRY, headers: { ...RETRY.headers, "x-slack-retry-num": "2" } })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Every delivery (first, retries) has been processed to the end: no publish can still be under way.
    await t.deliveries.settled();
    expect(t.fake.callsTo("views.publish").filter((c) => c.body.user_id === "URETRY")).toHaveLength(2);
  });

  it("a view submission that creates an account, retried, creates it once", async () => {
    const payload = viewSubmissionPayload({
      callbackId: VIEWS.addAccount,
      userId: "URETRY",
      values: { [ACCOUNT_MODAL.name]: { [ACCOUNT_MODAL.name]: stateValue.plainText("Retry Holdings") } },
    });
    const body = interactionBody(payload);
    const [first, retry] = await Promise.all([t.post(body), t.post(body, RETRY)]);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect((await t.post(body, { ...RETRY, headers: { ...RETRY.headers, "x-slack-retry-num": "3" } })).status).toBe(200);
    // All three deliveries have been processed to the end: a second account could no longer be created.
    await t.deliveries.settled();
    expect(await t.database.db.prisma.account.count({ where: { name: "Retry Holdings" } })).toBe(1);
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

describe("delivery keys are pruned by the maintenance job [sqlite]", () => {
  it("forgets keys older than a day and keeps recent ones", async () => {
    const { createTestDatabase } = await import("../support/test-database.js");
    const { MaintenanceJob } = await import("../../src/jobs/maintenance-job.js");
    const t = await createTestDatabase("sqlite");
    try {
      const now = new Date("2026-11-27T12:00:00Z");
      await t.db.prisma.processedRequest.createMany({
        data: [
          { key: "old", createdAt: new Date("2026-11-25T12:00:00Z") },
          { key: "recent", createdAt: new Date("2026-11-27T11:00:00Z") },
        ],
      });
      await new MaintenanceJob(t.db).plan(now);
      expect((await t.db.prisma.processedRequest.findMany()).map((r) => r.key)).toEqual(["recent"]);
    } finally {
      await t.drop();
    }
  });
});
