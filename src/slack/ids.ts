/**
 * Every command, action, callback and block id the app uses, in one place: listeners, builders,
 * the manifest test and the tests import these rather than typing the strings again.
 */
export const COMMAND = "/ae";

export const EVENTS = {
  appHomeOpened: "app_home_opened",
} as const;

export const SHORTCUTS = {
  logMessageAsTouch: "log_message_as_touch",
} as const;

export const ACTIONS = {
  pickAccount: "pick_account",
  moreResults: "more_results",
  openAccount: "open_account",
  logTouch: "log_touch",
  snoozeAccount1d: "snooze_account_1d",
  snoozeAccount1w: "snooze_account_1w",
  followUpDone: "followup_done",
  followUpSnooze: "followup_snooze",
  homeAddAccount: "home_add_account",
  homeLogTouch: "home_log_touch",
  homeAddFollowUp: "home_add_followup",
  homeAddDeal: "home_add_deal",
  homeSettings: "home_settings",
  confirmGift: "confirm_gift",
} as const;

export const VIEWS = {
  addAccount: "add_account_modal",
  logTouch: "log_touch_modal",
  followUp: "followup_modal",
  deal: "deal_modal",
  settings: "settings_modal",
  messageTouch: "message_touch_modal",
  giftOverride: "gift_override_modal",
  team: "team_modal",
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];
export type ViewId = (typeof VIEWS)[keyof typeof VIEWS];
