import type { MessageKey } from "./en.js";

/** German catalog. `Record<MessageKey, string>` makes a missing key a type error. */
export const de: Record<MessageKey, string> = {
  "help.title": "*AE Assistant* — deine Accounts, Kontakte, Follow-ups, Deals und Quote, direkt in Slack.",
  "help.body": [
    "`/ae accounts [Suche]` — deine Accounts, gefährdete und wertvolle zuerst",
    "`/ae account add <Name> [tier:key|growth|standard] [value:<Jahresumsatz>] [industry:<Branche>] [individual]`",
    "`/ae account <Name>` — letzte Kontakte, offene Follow-ups, Deals, Geschenke dieses Jahr",
    "`/ae log <Account> <call|email|meeting|demo|meal|entertainment|note> [with @Kollege …] [Text]`",
    "`/ae followup <Account> <wann> <was>` — wann: heute, morgen, freitag, \"in 3 Tagen\", \"nächsten Montag\", 3.12.2026",
    "`/ae followups` — offene Follow-ups, überfällige zuerst",
    "`/ae done <Follow-up-Nr.>`",
    "`/ae deal <Account> <Betrag> [stage:<Phase>] [close:<Datum>]`",
    "`/ae won <Deal-Nr. oder Account> [Betrag]` · `/ae lost <Deal-Nr. oder Account> [Grund]`",
    "`/ae quota` · `/ae quota set <@Person|me> <Betrag> <month|quarter|year>` (Manager, Admins)",
    "`/ae gift <Account> <Empfänger> <Betrag> <Beschreibung>` · `/ae entertainment …` · `/ae gifts [Account|Empfänger]`",
    "`/ae today` — die heutige Übersicht auf Abruf",
    "`/ae leaderboard [week|month|quarter|year]`",
    "`/ae settings` — Erinnerungszeit und -tage, Sprache, Zeitzone, Pause",
    "`/ae team …` — Manager und Admins: Team anlegen, Mitglieder verwalten, Kanal festlegen",
  ].join("\n"),
  "help.footer": "Tipp: Namen mit Leerzeichen in Anführungszeichen, z. B. `/ae account \"Acme GmbH\"`. Die meisten Befehle ohne Argumente öffnen ein Formular.",
  "error.unknownSubcommand": "`{input}` kenne ich nicht.",
  "error.didYouMean": "Meintest du `/ae {suggestion}`?",
  "error.internal": "Entschuldige, bei mir ist etwas schiefgegangen. Es wurde nichts geändert. Bitte versuch es gleich noch einmal.",
  "error.databaseDown": "Ich erreiche meine Datenbank gerade nicht, daher wurde nichts geändert. Bitte versuch es in einer Minute noch einmal.",
};
