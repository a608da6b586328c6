import { describe, expect, it } from "vitest";
import { SendPacePolicy, type PaceDecision } from "../../src/domain/send-pace.js";

const POST = "chat.postMessage";
const OPEN = "conversations.open";

type Step =
  | { at: number; start: string; expect?: PaceDecision["kind"] }
  | { at: number; accept: string }
  | { at: number; limit: string; retryAfterMs: number; startedAt: number }
  | { at: number; end: string }
  | { at: number; decide: string; is: PaceDecision };

/** Runs the steps; returns the windows of both methods at the end. */
function play(steps: Step[], policy = new SendPacePolicy({ initialWindow: 4, maxWindow: 8, minWindow: 1, increaseEveryMs: 1_000 })) {
  for (const step of steps) {
    if ("start" in step) {
      const decision = policy.decide(step.start, step.at);
      expect(decision.kind, `start ${step.start} at ${step.at}`).toBe(step.expect ?? "go");
      if (decision.kind === "go") policy.started(step.start, step.at);
    } else if ("accept" in step) policy.accepted(step.accept, step.at);
    else if ("limit" in step) policy.rateLimited(step.limit, step.retryAfterMs, step.startedAt, step.at);
    else if ("end" in step) policy.ended(step.end);
    else expect(policy.decide(step.decide, step.at), `decide ${step.decide} at ${step.at}`).toEqual(step.is);
  }
  const windows = Object.fromEntries(policy.snapshot().map((s) => [s.method, s.window]));
  return { policy, windows };
}

const starts = (method: string, at: number, n: number): Step[] => Array.from({ length: n }, () => ({ at, start: method }));
const accepts = (method: string, at: number, n: number): Step[] => Array.from({ length: n }, () => ({ at, accept: method }));

describe("SendPacePolicy", () => {
  it.each<{ name: string; steps: Step[]; windows: Record<string, number> }>([
    {
      name: "at most `window` calls in flight; a finished call frees its slot",
      steps: [...starts(POST, 0, 4), { at: 0, start: POST, expect: "full" }, { at: 1, accept: POST }, { at: 1, start: POST }],
      windows: { [POST]: 4 },
    },
    {
      name: "a 429 pauses only its method, for Retry-After, and halves its window",
      steps: [
        ...starts(POST, 0, 2),
        { at: 10, limit: POST, retryAfterMs: 1_000, startedAt: 0 },
        { at: 10, decide: POST, is: { kind: "paused", waitMs: 1_000 } },
        { at: 10, start: OPEN },
        { at: 1_009, decide: POST, is: { kind: "paused", waitMs: 1 } },
        // One call of the halved window (2) is still in flight: one more may start.
        { at: 1_010, start: POST },
        { at: 1_010, start: POST, expect: "full" },
      ],
      windows: { [POST]: 2, [OPEN]: 4 },
    },
    {
      name: "429s of calls started before the last decrease do not shrink the window again, but extend the pause",
      steps: [
        ...starts(POST, 0, 4),
        { at: 5, limit: POST, retryAfterMs: 1_000, startedAt: 0 },
        { at: 6, limit: POST, retryAfterMs: 2_000, startedAt: 0 },
        { at: 7, limit: POST, retryAfterMs: 1_000, startedAt: 0 },
        { at: 1_500, decide: POST, is: { kind: "paused", waitMs: 506 } },
      ],
      windows: { [POST]: 2 },
    },
    {
      name: "a 429 of a call started after the decrease halves again, down to the minimum",
      steps: [
        { at: 0, start: POST },
        { at: 5, limit: POST, retryAfterMs: 1_000, startedAt: 0 },
        { at: 1_005, start: POST },
        { at: 1_006, limit: POST, retryAfterMs: 1_000, startedAt: 1_005 },
        { at: 2_006, start: POST },
        { at: 2_007, limit: POST, retryAfterMs: 1_000, startedAt: 2_006 },
      ],
      windows: { [POST]: 1 },
    },
    {
      name: "a full window of accepted calls adds one, at most once per second",
      steps: [
        { at: 0, start: POST },
        { at: 1, limit: POST, retryAfterMs: 0, startedAt: 0 }, // window 4 → 2
        ...starts(POST, 2, 2),
        ...accepts(POST, 500, 2), // a full window, but within a second of the decrease: no growth
        ...starts(POST, 1_001, 2),
        ...accepts(POST, 1_001, 2), // now: 2 → 3
        ...starts(POST, 1_002, 3),
        ...accepts(POST, 1_500, 3), // a full window again, but within a second of the last increase
      ],
      windows: { [POST]: 3 },
    },
    {
      name: "grows to the maximum and no further while Slack accepts",
      steps: Array.from({ length: 10 }, (_, i) => [...starts(POST, i * 1_000, 1), ...accepts(POST, i * 1_000, 8)]).flat(),
      windows: { [POST]: 8 },
    },
    {
      name: "a failure without an answer (timeout, 5xx) frees the slot and changes nothing else",
      steps: [...starts(POST, 0, 4), { at: 1, end: POST }, { at: 1, start: POST }, { at: 1, start: POST, expect: "full" }],
      windows: { [POST]: 4 },
    },
  ])("$name", ({ steps, windows }) => {
    expect(play(steps).windows).toEqual(windows);
  });

  it("refuses settings that could stop a method for good", () => {
    expect(() => new SendPacePolicy({ minWindow: 0 })).toThrow(RangeError);
    expect(() => new SendPacePolicy({ initialWindow: 20, maxWindow: 16 })).toThrow(RangeError);
  });
});
