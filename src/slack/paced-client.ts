import { webApi } from "@slack/bolt";
import { SendPacePolicy, type SendPaceOptions } from "../domain/send-pace.js";

/** The pace's clock: read the time, and wait. Tests pass a manual one instead of sleeping. */
export interface PaceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_PACE_CLOCK: PaceClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A call that would have waited longer than the pace allows (Slack paused its method for long):
 * the caller treats it like Slack's own 429 and tries again after `retryAfter` seconds, instead of
 * holding an outbox row's lease while it waits.
 */
export class PaceTimeoutError extends Error {
  static readonly CODE = "ae_pace_timeout";
  readonly code = PaceTimeoutError.CODE;
  constructor(
    readonly method: string,
    readonly retryAfter: number,
  ) {
    super(`${method} is paused by Slack's rate limit for ${retryAfter} s more`);
    this.name = "PaceTimeoutError";
  }
}

export interface SendPaceSettings {
  policy?: Partial<SendPaceOptions>;
  clock?: PaceClock;
  /** The longest a call waits for its method's pause or a free slot before giving up (PaceTimeoutError). */
  maxWaitMs?: number;
}

/** Retry-After in seconds when `error` is Slack saying "rate limited", else undefined. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const e = error as { code: unknown; retryAfter?: number; data?: { error?: string } };
  if (e.code === webApi.ErrorCode.RateLimitedError) return Math.max(1, e.retryAfter ?? 1);
  // HTTP 200 with { ok: false, error: "ratelimited" } (no header): Slack's docs say wait a second.
  if (e.code === webApi.ErrorCode.PlatformError && e.data?.error === "ratelimited") return 1;
  return undefined;
}

/**
 * One pace for every Web API call made through it (one per replica: the sender's and the
 * celebrations' notifier share it). Runs each call when `SendPacePolicy` says so and tells the
 * policy how it ended. A 429 reaches it exactly once: the client neither retries nor waits by
 * itself (`retryConfig: { retries: 0 }`, `rejectRateLimitedCalls: true`), and the error is rethrown
 * for the caller's own handling (the outbox row is retried after Retry-After).
 */
export class SendPace {
  readonly policy: SendPacePolicy;
  private readonly clock: PaceClock;
  private readonly maxWaitMs: number;
  private readonly waiters = new Map<string, Set<() => void>>();
  /** 429s seen, per method. */
  readonly rateLimited = new Map<string, number>();

  constructor(settings: SendPaceSettings = {}) {
    this.policy = new SendPacePolicy(settings.policy);
    this.clock = settings.clock ?? REAL_PACE_CLOCK;
    this.maxWaitMs = settings.maxWaitMs ?? 30_000;
  }

  async run<T>(method: string, call: () => Promise<T>): Promise<T> {
    const startedAt = await this.acquire(method);
    try {
      const result = await call();
      this.policy.accepted(method, this.clock.now());
      return result;
    } catch (error) {
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined) {
        this.rateLimited.set(method, (this.rateLimited.get(method) ?? 0) + 1);
        this.policy.rateLimited(method, retryAfter * 1000, startedAt, this.clock.now());
      } else if (typeof error === "object" && error !== null && "code" in error && error.code === webApi.ErrorCode.PlatformError) {
        this.policy.accepted(method, this.clock.now()); // Slack answered: the call counted, the pace held.
      } else {
        this.policy.ended(method);
      }
      throw error;
    } finally {
      this.wake(method);
    }
  }

  /** Waits until the policy lets a call of `method` start; returns its start time. */
  private async acquire(method: string): Promise<number> {
    const deadline = this.clock.now() + this.maxWaitMs;
    for (;;) {
      const now = this.clock.now();
      const decision = this.policy.decide(method, now);
      if (decision.kind === "go") return this.policy.started(method, now);
      if (decision.kind === "paused") {
        if (now + decision.waitMs > deadline) throw new PaceTimeoutError(method, Math.ceil(decision.waitMs / 1000));
        await this.clock.sleep(decision.waitMs);
      } else {
        // A slot frees when a call of this method ends (each is bounded by the client's timeout).
        await new Promise<void>((resolve) => {
          const set = this.waiters.get(method) ?? new Set();
          set.add(resolve);
          this.waiters.set(method, set);
        });
      }
    }
  }

  private wake(method: string): void {
    const set = this.waiters.get(method);
    if (!set) return;
    this.waiters.delete(method);
    for (const resolve of set) resolve();
  }
}

/** A WebClient whose every Web API method goes through the pace (files.uploadV2's steps included). */
export class PacedWebClient extends webApi.WebClient {
  constructor(
    token: string,
    options: webApi.WebClientOptions,
    readonly pace: SendPace,
  ) {
    super(token, options);
  }

  override apiCall(method: string, options?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
    // files.uploadV2 is not a Web API method: it calls files.getUploadURLExternal and
    // files.completeUploadExternal through apiCall, and those are paced.
    if (method === "files.uploadV2") return super.apiCall(method, options);
    return this.pace.run(method, () => super.apiCall(method, options));
  }
}
