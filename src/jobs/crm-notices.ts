import { CRM_NAME } from "../domain/crm-push.js";
import { translator } from "../i18n/translate.js";
import { toActor } from "../services/actor-service.js";
import { parseDealChange } from "../services/crm/crm-push-service.js";
import { OUTBOX_KIND, outboxPayload } from "../services/outbox-kinds.js";
import type { Services } from "../services/services.js";
import type { CrmProblem } from "../db/repositories/crm-outbox-repository.js";
import { crmAdminNotice, crmProblemsNotice } from "../slack/blocks/crm-blocks.js";
import { formatFor } from "../slack/blocks/reminder-format.js";

/** The Slack outbox kinds the CRM sync sends (so a one-shot run delivers them). */
export const CRM_NOTICE_KINDS: string[] = [OUTBOX_KIND.crmRep, OUTBOX_KIND.crmAdmin];

/**
 * Plans the CRM sync's DMs, through the Slack outbox (each exactly once):
 * - to each rep whose pushes the CRM refused or overruled since they were last told: one DM
 *   listing them, in their language; it is queued in the same transaction that marks the rows
 *   told, so a crash neither loses nor repeats it;
 * - to each workspace admin when the connection broke or the push went on hold since they were
 *   last told (once per breakage, whether the pull or the push found it), and once when it works
 *   again.
 * Returns how many DMs were queued.
 */
export async function planCrmNotices(services: Services, workspaceId: number, now: Date, defaultTimezone: string): Promise<number> {
  const status = services.crmStatus;
  if (!status) return 0;
  const workspace = await services.repos.workspaces.findById(workspaceId);
  if (!workspace) return 0;
  const crm = CRM_NAME[status.provider];
  let queued = 0;

  const byUser = new Map<number, CrmProblem[]>();
  for (const p of await status.untold(workspaceId)) if (p.userId !== null) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p]);
  for (const [userId, problems] of byUser) {
    const ids = problems.map((p) => p.id);
    const user = await services.repos.users.findById(userId);
    if (!user || user.inactive) {
      await status.told(ids, [], now); // nobody to tell: crm status still lists them
      continue;
    }
    const actor = toActor(user, workspace, defaultTimezone);
    const f = formatFor(actor, translator(actor.language));
    const oldestFirst = [...problems].sort((a, b) => a.id - b.id);
    const message = crmProblemsNotice(f, crm, oldestFirst.map((p) => ({ ...p, change: p.entity === "deal" ? parseDealChange(p.payload) : null })));
    // The DM goes to the user's remembered channel when there is one (no conversations.open).
    await status.told(ids, [{ recipientType: "user", recipient: user.slackUserId, localDate: `crm-${Math.min(...ids)}`, kind: OUTBOX_KIND.crmRep, payload: outboxPayload(OUTBOX_KIND.crmRep, message), channelId: user.dmChannelId }], now);
    queued++;
  }

  const notice = await status.adminNotice(workspaceId);
  if (notice) {
    const rows = (await services.repos.users.admins(workspaceId)).map((admin) => {
      const actor = toActor(admin, workspace, defaultTimezone);
      const message = crmAdminNotice(formatFor(actor, translator(actor.language)), crm, notice);
      return { recipientType: "user" as const, recipient: admin.slackUserId, localDate: notice.key, kind: OUTBOX_KIND.crmAdmin, payload: outboxPayload(OUTBOX_KIND.crmAdmin, message), channelId: admin.dmChannelId };
    });
    queued += await services.repos.outbox.enqueue(rows, now);
    await status.adminsTold(workspaceId, notice.kind === "restored" ? null : now);
  }
  return queued;
}
