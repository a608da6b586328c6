import { webApi } from "@slack/bolt";
import type { UserDirectory } from "../services/import-service.js";
import { slackProfileLookup } from "./slack-profile.js";

/** Slack errors that mean "no such user" rather than "Slack cannot answer". */
const NOT_FOUND = new Set(["users_not_found", "user_not_found"]);

function platformError(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "data" in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    return typeof data?.error === "string" ? data.error : undefined;
  }
  return undefined;
}

/**
 * users.lookupByEmail (needs users:read.email) and users.info (time zone and locale) for the CRM
 * import. "Not found" is an answer (null); any other Slack error (a wrong token, a missing scope)
 * is thrown, because then no owner can be matched at all.
 */
export function slackUserDirectory(client: webApi.WebClient, fallbackZone: string): UserDirectory {
  const info = slackProfileLookup(client, fallbackZone);
  return {
    async findByEmail(email) {
      try {
        const res = await client.users.lookupByEmail({ email });
        if (!res.user?.id) return null;
        return { slackUserId: res.user.id, deleted: Boolean(res.user.deleted) };
      } catch (error) {
        const code = platformError(error);
        if (code && NOT_FOUND.has(code)) return null;
        throw new Error(
          code === "missing_scope"
            ? "Slack refused users.lookupByEmail: the bot token lacks the users:read.email scope (reinstall the app from manifest.yml)"
            : `Slack users.lookupByEmail failed: ${code ?? (error instanceof Error ? error.message : String(error))}`,
          { cause: error },
        );
      }
    },
    async profile(slackUserId) {
      try {
        return await info(slackUserId);
      } catch (error) {
        const code = platformError(error);
        if (code && NOT_FOUND.has(code)) return null;
        throw error;
      }
    },
  };
}
