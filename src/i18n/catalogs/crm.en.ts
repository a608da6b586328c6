/** The CRM sync in Slack: DMs about pushes the CRM refused, the admins' connection notices, the Home tab's line. */
export const crmEn = {
  "crm.notice.title": {
    one: "*{crm} did not take one of your changes.* Nothing you entered is lost here.",
    other: "*{crm} did not take {count} of your changes.* Nothing you entered is lost here.",
  },
  "crm.notice.touch": "{kind} with *{account}* ({date})",
  "crm.notice.followUp": "Follow-up “{title}” on *{account}*",
  "crm.notice.deal": "The deal on *{account}*",
  "crm.notice.rejected": "{what}: {crm} refused it: “{message}” ({code}).",
  "crm.notice.conflict": "{what}: it was changed in {crm} since the last sync, so nothing was overwritten there. It shows {crm}'s values now ({values}). Your change ({change}) was not written.",
  "crm.notice.failed": "{what}: {crm} could not be reached in several tries ({message}).",
  "crm.notice.more": {
    one: "…and one more (`ae-assistant crm status` lists them).",
    other: "…and {count} more (`ae-assistant crm status` lists them).",
  },
  "crm.notice.hint": "If a {crm} rule or field needs changing, ask your {crm} admin; once it is fixed, `ae-assistant crm retry` sends them again.",
  "crm.deal.values": "{stage}, {amount}, closes {date}",
  "crm.deal.noClose": "{stage}, {amount}",
  "crm.change.stage": "stage {stage}",
  "crm.change.amount": "amount {amount}",
  "crm.change.close": "close date {date}",
  "crm.waiting": {
    zero: "nothing waiting",
    one: "1 change waiting",
    other: "{count} changes waiting",
  },
  "crm.admin.broken":
    ":warning: *The {crm} connection is broken* since {since}: {reason}\nTouches, follow-ups and deals wait in the queue ({waiting}) and go out as soon as it works again; nothing is lost. Check the credentials and the Connected App's run-as user, then run `ae-assistant doctor`.",
  "crm.admin.hold":
    ":warning: *Pushing to {crm} is on hold* since {since}: {reason}\nThe pull goes on; touches, follow-ups and deals wait in the queue ({waiting}). `ae-assistant doctor` names what {crm} is missing (README → Connect {crm}).",
  "crm.admin.restored": ":white_check_mark: *The {crm} connection works again.* What waited is going out ({waiting}).",
  "crm.home.ok": "*{crm}:* in sync · last sync {last} · {waiting}",
  "crm.home.never": "*{crm}:* not synced yet · {waiting}",
  "crm.home.broken": ":warning: *{crm}:* broken since {since} · {waiting}",
  "crm.home.limited": "*{crm}:* backing off after a rate limit until {until} · {waiting} · last sync {last}",
  "crm.home.hold": ":warning: *{crm}:* pushing on hold since {since} · {waiting} · `ae-assistant doctor` says why",
} as const;
