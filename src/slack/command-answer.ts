import type { AckFn, RespondArguments, RespondFn } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { AppDeps } from "./deps.js";
import type { Reply } from "./subcommands/subcommand.js";

/** An ephemeral answer: what the acknowledgement body or the `response_url` POST carries. */
export interface EphemeralAnswer {
  text: string;
  blocks?: KnownBlock[];
}

export interface CommandAnswer {
  /**
   * Sends the answer: as the body of the acknowledgement while it is still open (one HTTP
   * exchange, no outgoing request), else through `response_url`.
   */
  send(answer: EphemeralAnswer): Promise<void>;
  /** Acknowledges empty if nothing has been acknowledged yet (the command answered itself, or failed). */
  finish(): Promise<void>;
  /** How it was answered, for logs and tests: "ack" (in the acknowledgement), "response_url", or "none" yet. */
  readonly via: "ack" | "response_url" | "none";
}

/**
 * Answers one slash command exactly once. Slack lets the reply be the body of the acknowledgement
 * when it is ready within the 3-second window; most replies are ready in milliseconds, which saves
 * the second, outgoing POST to `response_url`. When the work takes longer than `budgetMs` (a slow
 * query, a queue of commands ahead of it), a timer acknowledges empty so Slack never shows
 * "operation_timeout", and the reply then goes to `response_url` as before. Whichever comes first
 * wins; the acknowledgement is sent once.
 */
export function answerCommand({ ack, respond, budgetMs, onAckError }: {
  ack: AckFn<string | RespondArguments>;
  respond: RespondFn;
  budgetMs: number;
  /** A timer-sent empty ack failed (the connection is gone); the answer still goes to response_url. */
  onAckError: (error: unknown) => void;
}): CommandAnswer {
  let acked: Promise<void> | undefined;
  let via: CommandAnswer["via"] = "none";
  const ackEmpty = (): Promise<void> => {
    acked ??= ack();
    return acked;
  };
  const timer = setTimeout(() => {
    ackEmpty().catch(onAckError);
  }, budgetMs);
  timer.unref();
  return {
    get via() {
      return via;
    },
    async send(answer) {
      clearTimeout(timer);
      const message: RespondArguments = { response_type: "ephemeral", text: answer.text, ...(answer.blocks ? { blocks: answer.blocks } : {}) };
      if (!acked) {
        // Set before awaiting so a timer firing meanwhile cannot acknowledge a second time.
        acked = ack(message);
        via = "ack";
        await acked;
        return;
      }
      // The empty ack may still be in flight (or have failed); response_url works either way.
      await acked.catch(() => undefined);
      via = "response_url";
      await respond(message);
    },
    async finish() {
      clearTimeout(timer);
      await ackEmpty();
    },
  };
}

/** Runs a reply's `afterAnswer` work once the reply has gone out; a failure is logged, never thrown. */
export async function runAfterAnswer(reply: Reply | void, deps: Pick<AppDeps, "logger">): Promise<void> {
  if (!reply?.afterAnswer) return;
  try {
    await reply.afterAnswer();
  } catch (error) {
    deps.logger.error("the work after a command's answer failed", error);
  }
}
