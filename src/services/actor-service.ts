import type { UserRepository, User, SlackProfile } from "../db/repositories/user-repository.js";
import type { WorkspaceRepository, Workspace } from "../db/repositories/workspace-repository.js";
import { languageFor, type Language } from "../i18n/translate.js";
import { safeZone } from "../domain/time.js";

/** Who is acting: the user, their workspace, and how to speak to them. */
export interface Actor {
  user: User;
  workspace: Workspace;
  language: Language;
  /** The user's effective IANA zone (settings override, else Slack's). */
  zone: string;
  locale: string;
}

/** Looks a Slack user up (users.info); null when Slack has no such user. */
export type SlackProfileLookup = (slackUserId: string) => Promise<SlackProfile | null>;

/** Profiles are refreshed from Slack at most this often (time zones change when people travel). */
const PROFILE_REFRESH_MS = 24 * 3600 * 1000;

export class ActorService {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly users: UserRepository,
    private readonly defaults: { timezone: string },
    private readonly now: () => Date,
  ) {}

  /**
   * Resolves the acting user, creating them on first contact from users.info. If Slack cannot be
   * asked, a new user is still created with the workspace defaults so the command can proceed.
   */
  async resolve(slackTeamId: string, slackUserId: string, lookup: SlackProfileLookup): Promise<Actor> {
    const workspace = await this.workspaces.ensure(slackTeamId, this.defaults);
    let user = await this.users.findBySlackId(workspace.id, slackUserId);
    const stale = user && this.now().getTime() - user.updatedAt.getTime() > PROFILE_REFRESH_MS;
    if (!user || stale) {
      const profile = await lookup(slackUserId).catch(() => null);
      if (profile) user = await this.users.upsertFromSlack(workspace.id, profile, this.now());
      else if (!user) {
        user = await this.users.upsertFromSlack(workspace.id, {
          slackUserId,
          name: null,
          email: null,
          timezone: workspace.timezone,
          locale: "en-US",
          isSlackAdmin: false,
          inactive: false,
        });
      }
    }
    return toActor(user, workspace, this.defaults.timezone);
  }

  /**
   * Slack told us a user changed (the user_change event): their profile is refreshed, and a user
   * deactivated in Slack is marked inactive from now on (no more reminders or digests; the
   * departed-rep retention counts from the first report); reactivated, they get them again and the
   * departure is forgotten. Users the app has never seen, erased users and unknown workspaces are
   * ignored.
   */
  async refreshFromSlack(slackTeamId: string, profile: SlackProfile): Promise<"unknown" | "deactivated" | "reactivated" | "updated"> {
    const workspace = await this.workspaces.findBySlackTeamId(slackTeamId);
    if (!workspace) return "unknown";
    const { known, wasActive } = await this.users.refreshFromSlack(workspace.id, profile, this.now());
    if (!known) return "unknown";
    if (profile.inactive && wasActive) return "deactivated";
    if (!profile.inactive && !wasActive) return "reactivated";
    return "updated";
  }

  /** A known user by id (null when there is none). */
  userById(userId: number): Promise<User | null> {
    return this.users.findById(userId);
  }

  /** The actor for a known, active user (null when the user or workspace is gone, or inactive). */
  async actorById(workspaceId: number, userId: number): Promise<Actor | null> {
    const [user, workspace] = await Promise.all([this.users.findById(userId), this.workspaces.findById(workspaceId)]);
    if (!user || !workspace || user.inactive) return null;
    return toActor(user, workspace, this.defaults.timezone);
  }
}

export function toActor(user: User, workspace: Workspace, fallbackZone: string): Actor {
  return {
    user,
    workspace,
    language: languageFor(user.locale, user.language),
    zone: safeZone(user.timezoneOverride ?? user.timezone, safeZone(workspace.timezone, fallbackZone)),
    locale: user.language === "de" ? "de-DE" : user.language === "en" ? "en-US" : user.locale,
  };
}
