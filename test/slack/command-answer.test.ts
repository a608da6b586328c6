import type { AckFn, RespondArguments, RespondFn } from "@slack/bolt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerCommand } from "../../src/slack/command-answer.js";

/** A fake ack/respond pair that records every call, in order; `held` acks wait until `release()`. */
function transport({ held = false } = {}) {
  const calls: { fn: "ack" | "respond"; message?: string | RespondArguments }[] = [];
  let release = () => {};
  const gate = held ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const ack: AckFn<string | RespondArguments> = async (message) => {
    calls.push({ fn: "ack", message });
    await gate;
  };
  const respond: RespondFn = async (message) => {
    calls.push({ fn: "respond", message });
    return new Response("ok");
  };
  return { calls, ack, respond, release: () => release() };
}

describe("answerCommand", () => {
  afterEach(() => vi.useRealTimers());

  it("answers in the acknowledgement when the reply is ready within the budget, and never acks again", async () => {
    vi.useFakeTimers();
    const t = transport();
    const answer = answerCommand({ ack: t.ack, respond: t.respond, budgetMs: 2000, onAckError: () => undefined });
    await answer.send({ text: "hi" });
    await answer.finish();
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.calls).toEqual([{ fn: "ack", message: { response_type: "ephemeral", text: "hi" } }]);
    expect(answer.via).toBe("ack");
  });

  it("acks empty when the budget passes, then answers through response_url", async () => {
    vi.useFakeTimers();
    const t = transport();
    const answer = answerCommand({ ack: t.ack, respond: t.respond, budgetMs: 2000, onAckError: () => undefined });
    await vi.advanceTimersByTimeAsync(1999);
    expect(t.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.calls).toEqual([{ fn: "ack", message: undefined }]);
    await answer.send({ text: "late", blocks: [{ type: "section", text: { type: "mrkdwn", text: "late" } }] });
    await answer.finish();
    expect(t.calls.map((c) => c.fn)).toEqual(["ack", "respond"]);
    expect(t.calls[1]?.message).toMatchObject({ response_type: "ephemeral", text: "late", blocks: [{ type: "section" }] });
    expect(answer.via).toBe("response_url");
  });

  it("an answer ready while the budget's empty ack is still in flight waits for it, then goes to response_url", async () => {
    vi.useFakeTimers();
    const t = transport({ held: true });
    const answer = answerCommand({ ack: t.ack, respond: t.respond, budgetMs: 10, onAckError: () => undefined });
    await vi.advanceTimersByTimeAsync(10);
    const sending = answer.send({ text: "just late" });
    await vi.advanceTimersByTimeAsync(50);
    expect(t.calls.map((c) => c.fn)).toEqual(["ack"]);
    t.release();
    await sending;
    await answer.finish();
    expect(t.calls).toEqual([
      { fn: "ack", message: undefined },
      { fn: "respond", message: { response_type: "ephemeral", text: "just late" } },
    ]);
  });

  it("a command that answered another way (a modal) is acked empty once at the end", async () => {
    const t = transport();
    const answer = answerCommand({ ack: t.ack, respond: t.respond, budgetMs: 2000, onAckError: () => undefined });
    await answer.finish();
    await answer.finish();
    expect(t.calls).toEqual([{ fn: "ack", message: undefined }]);
    expect(answer.via).toBe("none");
  });

  it("reports a failed timer ack and still answers through response_url", async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const respond: RespondFn = async () => new Response("ok");
    const sent = vi.fn(respond);
    const answer = answerCommand({ ack: () => Promise.reject(new Error("socket closed")), respond: sent, budgetMs: 5, onAckError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(5);
    await answer.send({ text: "still told" });
    expect(errors).toHaveLength(1);
    expect(sent).toHaveBeenCalledWith({ response_type: "ephemeral", text: "still told" });
  });
});
