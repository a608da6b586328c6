/**
 * The pace of outgoing Slack Web API calls, as a pure policy: it is told what happened (a call
 * started, was accepted, was refused with 429 + Retry-After) and the time, and answers whether the
 * next call of a method may start now. No timers, no I/O: `slack/paced-client.ts` does the waiting.
 *
 * Per Web API method (Slack limits each method separately, so a throttled chat.postMessage never
 * holds up conversations.open):
 * - **Pause.** A 429 pauses every call of that method until `now + Retry-After`.
 * - **Window (AIMD).** At most `floor(window)` calls of the method are in flight. A 429 halves the
 *   window (once per congestion event: a 429 for a call started before the last decrease says
 *   nothing new); each full window of accepted calls adds one, at most once per `increaseEveryMs`.
 *   The time condition matters against a fast Slack: per-call growth would be back to many calls in
 *   flight within one Retry-After, and every call in flight when the budget runs out gets a 429.
 */

export interface SendPaceOptions {
  /** Calls in flight per method before any 429 (the sender's old fixed concurrency). */
  initialWindow: number;
  /** The most calls in flight per method while Slack accepts them. */
  maxWindow: number;
  /** The fewest calls in flight after 429s (never 0: the method would stop for good). */
  minWindow: number;
  /** The window grows by one at most this often. */
  increaseEveryMs: number;
}

export const DEFAULT_SEND_PACE: SendPaceOptions = { initialWindow: 4, maxWindow: 16, minWindow: 1, increaseEveryMs: 1_000 };

interface MethodState {
  pausedUntil: number;
  window: number;
  inFlight: number;
  /** When the window last shrank; 429s of calls started earlier do not shrink it again. */
  lastDecreaseAt: number;
  lastIncreaseAt: number;
  /** Calls accepted since the window last changed. */
  acceptedSinceChange: number;
}

/** What the next call of a method should do. */
export type PaceDecision = { kind: "go" } | { kind: "paused"; waitMs: number } | { kind: "full" };

export interface MethodPaceSnapshot {
  method: string;
  pausedUntil: number;
  window: number;
  inFlight: number;
}

export class SendPacePolicy {
  private readonly methods = new Map<string, MethodState>();
  readonly options: SendPaceOptions;

  constructor(options: Partial<SendPaceOptions> = {}) {
    this.options = { ...DEFAULT_SEND_PACE, ...options };
    const { minWindow, initialWindow, maxWindow } = this.options;
    if (!(minWindow >= 1 && minWindow <= initialWindow && initialWindow <= maxWindow)) {
      throw new RangeError(`send pace needs 1 ≤ minWindow ≤ initialWindow ≤ maxWindow (got ${minWindow}, ${initialWindow}, ${maxWindow})`);
    }
  }

  private state(method: string): MethodState {
    let s = this.methods.get(method);
    if (!s) {
      s = { pausedUntil: 0, window: this.options.initialWindow, inFlight: 0, lastDecreaseAt: -Infinity, lastIncreaseAt: -Infinity, acceptedSinceChange: 0 };
      this.methods.set(method, s);
    }
    return s;
  }

  /** May a call of `method` start at `now`? */
  decide(method: string, now: number): PaceDecision {
    const s = this.state(method);
    if (now < s.pausedUntil) return { kind: "paused", waitMs: s.pausedUntil - now };
    if (s.inFlight >= Math.floor(s.window)) return { kind: "full" };
    return { kind: "go" };
  }

  /** A call starts (after `decide` said go). Returns its start time, to hand back when it ends. */
  started(method: string, now: number): number {
    this.state(method).inFlight++;
    return now;
  }

  /** Slack accepted the call (or refused it for a reason other than its rate limit). */
  accepted(method: string, now: number): void {
    const s = this.state(method);
    s.inFlight = Math.max(0, s.inFlight - 1);
    s.acceptedSinceChange++;
    const { maxWindow, increaseEveryMs } = this.options;
    if (s.window < maxWindow && s.acceptedSinceChange >= Math.floor(s.window) && now - Math.max(s.lastIncreaseAt, s.lastDecreaseAt) >= increaseEveryMs) {
      s.window = Math.min(maxWindow, Math.floor(s.window) + 1);
      s.lastIncreaseAt = now;
      s.acceptedSinceChange = 0;
    }
  }

  /** The call failed without an answer about the rate limit (network error, timeout, 5xx): frees its slot only. */
  ended(method: string): void {
    const s = this.state(method);
    s.inFlight = Math.max(0, s.inFlight - 1);
  }

  /** Slack answered 429 with Retry-After for a call started at `startedAt`. */
  rateLimited(method: string, retryAfterMs: number, startedAt: number, now: number): void {
    const s = this.state(method);
    s.inFlight = Math.max(0, s.inFlight - 1);
    s.pausedUntil = Math.max(s.pausedUntil, now + Math.max(0, retryAfterMs));
    if (startedAt >= s.lastDecreaseAt) {
      s.window = Math.max(this.options.minWindow, Math.floor(s.window / 2));
      s.lastDecreaseAt = now;
      s.acceptedSinceChange = 0;
    }
  }

  /** Every method's state (for logs and tests). */
  snapshot(): MethodPaceSnapshot[] {
    return [...this.methods].map(([method, s]) => ({ method, pausedUntil: s.pausedUntil, window: Math.floor(s.window), inFlight: s.inFlight }));
  }
}
