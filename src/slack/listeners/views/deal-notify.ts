import type { webApi } from "@slack/bolt";
import type { Reply } from "../../subcommands/subcommand.js";

/**
 * Tells the user the result of a modal they submitted: ephemerally in the channel the modal was
 * opened from, or — from the Home tab, or when the bot cannot post there — in their DM with the app.
 */
export async function notifyUser(client: webApi.WebClient, userId: string, channelId: string, reply: Reply): Promise<void> {
  if (channelId !== "" && !channelId.startsWith("D")) {
    try {
      await client.chat.postEphemeral({ channel: channelId, user: userId, text: reply.text, blocks: reply.blocks });
      return;
    } catch {
      // not in that channel (private, archived): fall back to the DM below
    }
  }
  await client.chat.postMessage({ channel: userId, text: reply.text, blocks: reply.blocks });
}
