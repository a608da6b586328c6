import type { KnownBlock, PlainTextOption, View } from "@slack/types";
import type { User } from "../../db/repositories/user-repository.js";
import { parseReminderDays, parseStoredSkipDates } from "../../domain/reminder-schedule.js";
import type { SettingsError } from "../../domain/reminder-settings.js";
import { MAX_SKIP_DATES } from "../../domain/reminder-settings.js";
import type { Translator } from "../../i18n/translate.js";
import { SETTINGS_MODAL, VIEWS } from "../ids.js";
import { formModal } from "./modal-shell.js";

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function plain(text: string) {
  return { type: "plain_text" as const, text, emoji: true };
}

/** The `/ae settings` modal, filled with the user's current settings. */
export function settingsModal(
  user: Pick<User, "reminderTime" | "reminderDays" | "language" | "timezone" | "timezoneOverride" | "remindersPaused" | "reminderSkipDates">,
  t: Translator,
): View {
  const dayOptions: PlainTextOption[] = DAYS.map((d) => ({ text: plain(t(`settings.day.${d}`)), value: String(d) }));
  const selectedDays = new Set(parseReminderDays(user.reminderDays));
  const initialDays = dayOptions.filter((o) => selectedDays.has(Number(o.value)));
  const languageOptions: PlainTextOption[] = [
    { text: plain(t("settings.language.auto")), value: "auto" },
    { text: plain(t("settings.language.en")), value: "en" },
    { text: plain(t("settings.language.de")), value: "de" },
  ];
  const initialLanguage = languageOptions.find((o) => o.value === (user.language ?? "auto")) ?? languageOptions[0];
  const pauseOption: PlainTextOption = { text: plain(t("settings.pause.option")), value: "paused" };
  const skipDates = parseStoredSkipDates(user.reminderSkipDates).join(", ");
  const time = /^\d{2}:\d{2}$/.test(user.reminderTime) ? user.reminderTime : "09:00";
  const blocks: KnownBlock[] = [
    { type: "context", elements: [{ type: "mrkdwn", text: t("settings.intro") }] },
    {
      type: "input",
      block_id: SETTINGS_MODAL.time,
      label: plain(t("settings.time.label")),
      element: { type: "timepicker", action_id: SETTINGS_MODAL.time, initial_time: time },
    },
    {
      type: "input",
      block_id: SETTINGS_MODAL.days,
      label: plain(t("settings.days.label")),
      optional: true,
      element: { type: "checkboxes", action_id: SETTINGS_MODAL.days, options: dayOptions, ...(initialDays.length > 0 ? { initial_options: initialDays } : {}) },
    },
    {
      type: "input",
      block_id: SETTINGS_MODAL.language,
      label: plain(t("settings.language.label")),
      element: { type: "static_select", action_id: SETTINGS_MODAL.language, options: languageOptions, initial_option: initialLanguage },
    },
    {
      type: "input",
      block_id: SETTINGS_MODAL.zone,
      label: plain(t("settings.zone.label")),
      optional: true,
      hint: plain(t("settings.zone.hint", { zone: user.timezone })),
      element: {
        type: "plain_text_input",
        action_id: SETTINGS_MODAL.zone,
        placeholder: plain(t("settings.zone.placeholder")),
        max_length: 64,
        ...(user.timezoneOverride ? { initial_value: user.timezoneOverride } : {}),
      },
    },
    {
      type: "input",
      block_id: SETTINGS_MODAL.pause,
      label: plain(t("settings.pause.label")),
      optional: true,
      element: { type: "checkboxes", action_id: SETTINGS_MODAL.pause, options: [pauseOption], ...(user.remindersPaused ? { initial_options: [pauseOption] } : {}) },
    },
    {
      type: "input",
      block_id: SETTINGS_MODAL.skipDates,
      label: plain(t("settings.skip.label")),
      optional: true,
      hint: plain(t("settings.skip.hint")),
      element: {
        type: "plain_text_input",
        action_id: SETTINGS_MODAL.skipDates,
        placeholder: plain(t("settings.skip.placeholder")),
        max_length: 2000,
        ...(skipDates ? { initial_value: skipDates } : {}),
      },
    },
  ];
  return formModal({ t, callbackId: VIEWS.settings, title: t("settings.title"), blocks });
}

const FIELD_BLOCK: Record<SettingsError["field"], string> = {
  time: SETTINGS_MODAL.time,
  days: SETTINGS_MODAL.days,
  language: SETTINGS_MODAL.language,
  zone: SETTINGS_MODAL.zone,
  skipDates: SETTINGS_MODAL.skipDates,
};

/** view_submission errors keyed by block id, one message per field. */
export function settingsErrors(errors: readonly SettingsError[], t: Translator): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    out[FIELD_BLOCK[e.field]] ??= t(`settings.error.${e.problem}`, { detail: e.detail ?? "", max: MAX_SKIP_DATES });
  }
  return out;
}
