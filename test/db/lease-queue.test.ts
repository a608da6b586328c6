import { afterAll, beforeAll, expect, it } from "vitest";
import { CrmOutboxRepository } from "../../src/db/repositories/crm-outbox-repository.js";
import { enqueueMessages, OutboxRepository, type OutboxMessage } from "../../src/db/repositories/outbox-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const NOW = new Date("2026-12-08T14:00:00Z");
const LEASE = 60_000;

function message(recipient: string, kind = "lease_test", channelId: string | null = null): OutboxMessage {
  return { recipientType: "user", recipient, localDate: "2026-12-08", kind, payload: JSON.stringify({ text: `hello ${recipient}` }), channelId };
}

/**
 * The claim / lease / retry machinery both delivery queues share (db/lease-queue.ts): the claim
 * counts the attempt, a retry keeps what the attempt learned, and a message queued inside someone
 * else's transaction commits or rolls back with it, body included.
 */
describeEachProvider("delivery queues on the shared lease machinery [%s]", (provider) => {
  let t: TestDatabase;
  let outbox: OutboxRepository;
  let crm: CrmOutboxRepository;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    outbox = new OutboxRepository(t.db.prisma);
    crm = new CrmOutboxRepository(t.db.prisma);
  });
  afterAll(async () => t?.drop());

  it("the Slack outbox's claim counts the attempt in the claim, returns the payload, and never hands a row to two senders", async () => {
    expect(await outbox.enqueue([message("UCLAIM1", "claim_test"), message("UCLAIM2", "claim_test", "DREMEMBERED")], NOW)).toBe(2);
    const first = await outbox.claim("sender-a", NOW, LEASE, 10, ["claim_test"]);
    expect(first.map((r) => [r.recipient, r.attempts, r.status, r.channelId, JSON.parse(r.payload).text])).toEqual([
      ["UCLAIM1", 1, "sending", null, "hello UCLAIM1"],
      ["UCLAIM2", 1, "sending", "DREMEMBERED", "hello UCLAIM2"],
    ]);
    expect(await outbox.claim("sender-b", NOW, LEASE, 10, ["claim_test"])).toEqual([]);
    // A sender that crashed mid-send: past its lease the row is claimed again, as a second attempt.
    const resumed = await outbox.claim("sender-b", new Date(NOW.getTime() + LEASE), LEASE, 10, ["claim_test"]);
    expect(resumed.map((r) => [r.recipient, r.attempts])).toEqual([
      ["UCLAIM1", 2],
      ["UCLAIM2", 2],
    ]);
    // The first sender's lease was taken over: what it records changes nothing.
    await outbox.markSent("sender-a", [{ id: first[0]!.id, channelId: "DLATE", ts: "1.0" }], NOW);
    expect((await outbox.find("UCLAIM1", "2026-12-08", "claim_test"))?.status).toBe("sending");
    // The sender holding the claim records both at once, each with its own channel and ts.
    await outbox.markSent("sender-b", resumed.map((r, i) => ({ id: r.id, channelId: `DSENT${i}`, ts: `170000000${i}.000100` })), NOW);
    const sent = await Promise.all(["UCLAIM1", "UCLAIM2"].map((u) => outbox.find(u, "2026-12-08", "claim_test")));
    expect(sent.map((r) => [r?.recipient, r?.status, r?.channelId, r?.messageTs, r?.lockedBy, r?.sentAt?.toISOString()])).toEqual([
      ["UCLAIM1", "sent", "DSENT0", "1700000000.000100", null, NOW.toISOString()],
      ["UCLAIM2", "sent", "DSENT1", "1700000001.000100", null, NOW.toISOString()],
    ]);
  });

  it("markRetry keeps the DM channel the attempt opened (and the one remembered before) for the next attempt", async () => {
    await outbox.enqueue([message("URETRY1", "retry_test"), message("URETRY2", "retry_test", "DKNOWN")], NOW);
    const [opened, known] = await outbox.claim("sender-r", NOW, LEASE, 10, ["retry_test"]);
    await outbox.markRetry(opened!.id, "sender-r", NOW, "ratelimited", "DOPENED");
    await outbox.markRetry(known!.id, "sender-r", NOW, "ratelimited");
    const again = await outbox.claim("sender-r2", NOW, LEASE, 10, ["retry_test"]);
    expect(again.map((r) => [r.recipient, r.channelId, r.attempts, r.lastError])).toEqual([
      ["URETRY1", "DOPENED", 2, "ratelimited"],
      ["URETRY2", "DKNOWN", 2, "ratelimited"],
    ]);
  });

  it("enqueueMessages inside a caller's transaction writes the rows and their bodies with it, or neither when it rolls back", async () => {
    const boom = new Error("the change failed");
    await expect(
      t.db.prisma.$transaction(async (tx) => {
        expect(await enqueueMessages(tx, [message("UTX1", "tx_test")], NOW)).toBe(1);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await outbox.list({ kind: "tx_test" })).toEqual([]);
    expect(await t.db.prisma.outboxBody.count({ where: { outbox: { kind: "tx_test" } } })).toBe(0);

    await t.db.prisma.$transaction(async (tx) => {
      expect(await enqueueMessages(tx, [message("UTX1", "tx_test"), message("UTX2", "tx_test", "DTX2")], NOW)).toBe(2);
      // The same message again (a replica or a retry got there first): nothing new.
      expect(await enqueueMessages(tx, [message("UTX1", "tx_test")], NOW)).toBe(0);
    });
    expect((await outbox.list({ kind: "tx_test" })).map((r) => [r.recipient, r.channelId, JSON.parse(r.payload).text])).toEqual([
      ["UTX1", null, "hello UTX1"],
      ["UTX2", "DTX2", "hello UTX2"],
    ]);
  });

  it("the CRM queue's claim counts the attempt too; a row given back without being tried is not counted", async () => {
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: "TLEASE", timezone: "UTC" } });
    const scope = { workspaceId: ws.id, provider: "salesforce" };
    const row = (entityId: number, op: string) => ({
      workspaceId: ws.id,
      provider: "salesforce",
      entity: "followUp",
      entityId,
      op,
      payload: "{}",
      status: "pending",
      attempts: 0,
      nextAttemptAt: NOW,
    });
    await t.db.prisma.crmOutbox.createMany({ data: [row(1, "create"), row(1, "complete"), row(2, "create")] });
    const claimed = await crm.claim("push-a", NOW, LEASE, 10, scope);
    expect(claimed.map((r) => [r.entityId, r.op, r.attempts])).toEqual([
      [1, "create", 1],
      [1, "complete", 1],
      [2, "create", 1],
    ]);
    // The connection was paused, not the rows: given back with the attempt uncounted.
    await crm.release(
      claimed.map((r) => r.id),
      "push-a",
      NOW,
      "paused",
    );
    expect((await crm.list(scope)).map((r) => [r.status, r.attempts])).toEqual([
      ["pending", 0],
      ["pending", 0],
      ["pending", 0],
    ]);
    // A retry keeps the count: the next claim is the second attempt.
    const again = await crm.claim("push-b", NOW, LEASE, 1, scope);
    await crm.retryLater(
      again.map((r) => r.id),
      "push-b",
      NOW,
      "timeout",
    );
    expect((await crm.claim("push-c", NOW, LEASE, 10, scope)).map((r) => [r.entityId, r.op, r.attempts])).toEqual([
      [1, "create", 2],
      [1, "complete", 1],
      [2, "create", 1],
    ]);
  });
});
