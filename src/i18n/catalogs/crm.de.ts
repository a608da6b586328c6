import type { crmEn } from "./crm.en.js";
import type { TranslationOf } from "../message.js";

export const crmDe: TranslationOf<typeof crmEn> = {
  "crm.notice.title": {
    one: "*{crm} hat eine deiner Änderungen nicht übernommen.* Hier geht nichts verloren, was du eingegeben hast.",
    other: "*{crm} hat {count} deiner Änderungen nicht übernommen.* Hier geht nichts verloren, was du eingegeben hast.",
  },
  "crm.notice.touch": "{kind} mit *{account}* ({date})",
  "crm.notice.followUp": "Follow-up „{title}“ bei *{account}*",
  "crm.notice.deal": "Der Deal bei *{account}*",
  "crm.notice.rejected": "{what}: {crm} hat abgelehnt: „{message}“ ({code}).",
  "crm.notice.conflict": "{what}: wurde seit dem letzten Abgleich in {crm} geändert, daher wurde dort nichts überschrieben. Er zeigt jetzt die Werte aus {crm} ({values}). Deine Änderung ({change}) wurde nicht geschrieben.",
  "crm.notice.failed": "{what}: {crm} war nach mehreren Versuchen nicht erreichbar ({message}).",
  "crm.notice.more": {
    one: "…und eine weitere (`ae-assistant crm status` listet sie).",
    other: "…und {count} weitere (`ae-assistant crm status` listet sie).",
  },
  "crm.notice.hint": "Muss eine Regel oder ein Feld in {crm} geändert werden, frag deinen {crm}-Admin; danach schickt `ae-assistant crm retry` sie erneut.",
  "crm.deal.values": "{stage}, {amount}, Abschluss {date}",
  "crm.deal.noClose": "{stage}, {amount}",
  "crm.change.stage": "Phase {stage}",
  "crm.change.amount": "Betrag {amount}",
  "crm.change.close": "Abschlussdatum {date}",
  "crm.waiting": {
    zero: "nichts wartet",
    one: "1 Änderung wartet",
    other: "{count} Änderungen warten",
  },
  "crm.admin.broken":
    ":warning: *Die Verbindung zu {crm} ist unterbrochen* seit {since}: {reason}\nTouches, Follow-ups und Deals warten in der Warteschlange ({waiting}) und gehen raus, sobald sie wieder funktioniert; nichts geht verloren. Prüfe die Zugangsdaten und den Run-as-User der Connected App und starte dann `ae-assistant doctor`.",
  "crm.admin.hold":
    ":warning: *Das Schreiben nach {crm} ist angehalten* seit {since}: {reason}\nDas Abholen läuft weiter; Touches, Follow-ups und Deals warten in der Warteschlange ({waiting}). `ae-assistant doctor` nennt, was in {crm} fehlt (README → Connect {crm}).",
  "crm.admin.restored": ":white_check_mark: *Die Verbindung zu {crm} funktioniert wieder.* Was gewartet hat, geht jetzt raus ({waiting}).",
  "crm.home.ok": "*{crm}:* abgeglichen · letzter Abgleich {last} · {waiting}",
  "crm.home.never": "*{crm}:* noch nicht abgeglichen · {waiting}",
  "crm.home.broken": ":warning: *{crm}:* unterbrochen seit {since} · {waiting}",
  "crm.home.limited": "*{crm}:* pausiert nach einem Ratenlimit bis {until} · {waiting} · letzter Abgleich {last}",
  "crm.home.hold": ":warning: *{crm}:* Schreiben angehalten seit {since} · {waiting} · `ae-assistant doctor` sagt, warum",
};
