import type { webApi } from "@slack/bolt";
import type { SlackProfile } from "../db/repositories/user-repository.js";
import type { SlackProfileLookup } from "../services/actor-service.js";

/** users.info → the profile fields we keep. include_locale is needed for German users. */
export function slackProfileLookup(client: webApi.WebClient, fallbackZone: string): SlackProfileLookup {
  return async (slackUserId: string): Promise<SlackProfile | null> => {
    const res = await client.users.info({ user: slackUserId, include_locale: true });
    const u = res.user;
    if (!res.ok || !u) return null;
    return {
      slackUserId,
      name: u.real_name || u.profile?.real_name || u.name || null,
      email: u.profile?.email ?? null,
      timezone: u.tz || fallbackZone,
      locale: u.locale || "en-US",
      isSlackAdmin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
      inactive: Boolean(u.deleted),
    };
  };
}
