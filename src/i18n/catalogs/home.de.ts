import type { homeEn } from "./home.en.js";
import type { TranslationOf } from "../message.js";

export const homeDe: TranslationOf<typeof homeEn> = {
  "home.title": "AE Assistant",
  "home.intro": "Deine Accounts, Follow-ups und Quota auf einen Blick. Stand {time}.",
  "home.quota.heading": ":bar_chart: *Quota — {period}*",
  "home.quota.line": "{won} von {quota} ({attainment})",
  "home.quota.status.ahead": "Dem linearen Plan um {amount} voraus.",
  "home.quota.status.on_pace": "Im Plan.",
  "home.quota.status.behind": "Hinter dem linearen Plan um {amount}.",
  "home.quota.status.attained": "Quota erreicht :tada:",
  "home.quota.needed": {
    one: "Nötig heute, am letzten Tag: {amount} · Hochrechnung {projected}",
    other: "Nötig pro verbleibendem Tag: {amount} (noch {count}) · Hochrechnung {projected}",
  },
  "home.quota.none": "Für {period} ist keine Quota gesetzt. Bisher gewonnen: {won}.",
  "home.quota.zero": "Deine Quota für {period} ist 0. Bisher gewonnen: {won}.",
  "home.neglected.heading": ":hourglass_flowing_sand: *Accounts, die einen Kontakt brauchen*",
  "home.neglected.none": "Keine vernachlässigten Accounts. Gut gemacht.",
  "home.followUps.heading": ":white_check_mark: *Fällige Follow-ups*",
  "home.followUps.none": "Keine Follow-ups heute fällig oder überfällig.",
  "home.button.addAccount": "Account anlegen",
  "home.button.logTouch": "Kontakt erfassen",
  "home.button.addFollowUp": "Follow-up anlegen",
  "home.button.addDeal": "Deal anlegen",
  "home.button.settings": "Erinnerungen einstellen",
  "home.reminder.next": ":alarm_clock: Nächste tägliche Erinnerung: {when} ({zone}).",
  "home.reminder.paused": ":zzz: Deine täglichen Erinnerungen sind pausiert.",
  "home.reminder.none": ":alarm_clock: Keine Erinnerungstage eingestellt.",
};
