/**
 * Runs `/ae` subcommands in-process, with the same context the `/ae` listener builds
 * (src/slack/listeners/commands/ae-command.ts) but without HTTP: for tests that throw thousands
 * of inputs at the dispatcher. The Web API client talks to the fake Slack (modals, users.info);
 * the reply is returned as the listener would send it.
 */
import { webApi } from "@slack/bolt";
import { translator } from "../../src/i18n/translate.js";
import type { Actor } from "../../src/services/actor-service.js";
import { slackProfileLookup } from "../../src/slack/slack-profile.js";
import { wellFormed } from "../../src/slack/middleware/well-formed-text.js";
import { dispatch } from "../../src/slack/subcommands/router.js";
import type { Reply } from "../../src/slack/subcommands/subcommand.js";
import { TEST_BOT_TOKEN, type TestApp } from "./e2e-harness.js";
import { newTriggerId } from "./slack-requests.js";

export interface CommandRun {
  /** What the listener would send back ephemerally (nothing when the subcommand opened a modal). */
  reply: Reply | void;
}

export interface CommandHarness {
  client: webApi.WebClient;
  /** The acting user, resolved (and created on first contact) exactly as the listener does. */
  actor(slackUserId: string): Promise<Actor>;
  /** `/ae <text>` as `actor`; throws what the subcommand throws (the listener would log it and say "something went wrong"). */
  run(text: string, actor: Actor, channelId?: string): Promise<CommandRun>;
}

export function commandHarness(t: TestApp): CommandHarness {
  const client = new webApi.WebClient(TEST_BOT_TOKEN, { slackApiUrl: t.fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
  return {
    client,
    actor: (slackUserId) => t.services.actors.resolve(t.fake.teamId, slackUserId, slackProfileLookup(client, t.deps.defaultTimezone)),
    async run(text, actor, channelId = "C0TEST") {
      // The global middleware (src/slack/middleware/well-formed-text.ts) runs before the listener.
      const reply = await dispatch(wellFormed(text), {
        actor,
        t: translator(actor.language),
        client,
        triggerId: newTriggerId(),
        channelId,
        deps: t.deps,
      });
      return { reply };
    },
  };
}

/**
 * Mrkdwn a message would render: its top-level `text` (used for notifications) and every text
 * object of type mrkdwn in its blocks. plain_text is not parsed for mentions by Slack.
 */
export function mrkdwnStrings(message: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
    for (const [k, val] of Object.entries(o)) if (k !== "text" || typeof val !== "string") walk(val);
  };
  if (typeof message === "string") return [message];
  if (typeof message === "object" && message !== null) {
    const m = message as Record<string, unknown>;
    if (typeof m.text === "string") out.push(m.text);
    walk(m.blocks);
    walk(m.attachments);
  }
  return out;
}

/**
 * Special mentions that would notify people if Slack rendered them: @channel/@here/@everyone,
 * user groups, and user mentions whose id marks them as injected by the test (prefix UINJ).
 */
const INJECTED = /<!(?:channel|here|everyone|subteam)|<@UINJ/i;

/** The offending snippets in a message, or [] when it is clean. */
export function injectedMentions(message: unknown): string[] {
  return mrkdwnStrings(message).flatMap((s) => {
    const m = INJECTED.exec(s);
    return m ? [s.slice(Math.max(0, m.index - 40), m.index + 40)] : [];
  });
}
