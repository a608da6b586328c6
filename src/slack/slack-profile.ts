import type { webApi } from "@slack/bolt";
import type { SlackProfile } from "../db/repositories/user-repository.js";
import type { SlackProfileLookup } from "../services/actor-service.js";

/** The fields of a Slack user object (users.info, the user_change event) that we keep. */
export interface SlackUserFields {
  id: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  tz?: string;
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  profile?: { real_name?: string; email?: string };
}

/** A Slack user object → the profile fields we keep. */
export function profileOf(u: SlackUserFields, fallbackZone: string): SlackProfile {
  return {
    slackUserId: u.id,
    name: u.real_name || u.profile?.real_name || u.name || null,
    email: u.profile?.email ?? null,
    timezone: u.tz || fallbackZone,
    locale: u.locale || "en-US",
    isSlackAdmin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
    inactive: Boolean(u.deleted),
  };
}

/** users.info → the profile fields we keep. include_locale is needed for German users. */
export function slackProfileLookup(client: webApi.WebClient, fallbackZone: string): SlackProfileLookup {
  return async (slackUserId: string): Promise<SlackProfile | null> => {
    const res = await client.users.info({ user: slackUserId, include_locale: true });
    const u = res.user;
    if (!res.ok || !u) return null;
    return profileOf({ ...u, id: slackUserId }, fallbackZone);
  };
}
