import type { webApi } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { Actor } from "../../services/actor-service.js";
import type { Translator } from "../../i18n/translate.js";
import type { AppDeps } from "../deps.js";

/** An ephemeral answer to the user who ran the command. */
export interface Reply {
  text: string;
  blocks?: KnownBlock[];
  /** The command changed the user's data: the Home tab and other views are refreshed. */
  changed?: boolean;
  /**
   * Slower work that follows the answer (a chart upload): run once the reply has been sent, so
   * the reply itself still fits in the acknowledgement. It catches and reports its own failures;
   * whatever it throws is only logged.
   */
  afterAnswer?: () => Promise<void>;
}

export interface SubcommandContext {
  actor: Actor;
  /** The text after the subcommand name, as Slack sent it (mentions still escaped). */
  argsText: string;
  t: Translator;
  client: webApi.WebClient;
  triggerId: string;
  channelId: string;
  deps: AppDeps;
}

/**
 * One `/ae <name>` subcommand. `run` returns the reply, or nothing when it answered another way (a
 * modal). The listener sends the reply, in the acknowledgement when it can: a subcommand never
 * answers through `response_url` itself.
 */
export interface Subcommand {
  name: string;
  aliases?: readonly string[];
  run(ctx: SubcommandContext): Promise<Reply | void>;
}
