/**
 * Every command, action, callback and block id the app uses, in one place: listeners, builders,
 * the manifest test and the tests import these rather than typing the strings again.
 */
export const COMMAND = "/ae";

export const EVENTS = {
  appHomeOpened: "app_home_opened",
  userChange: "user_change",
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
  /** A reminder's "Deals that need attention" row: push the close date a week / to a picked date. */
  dealPushWeek: "digest_deal_push_week",
  dealPushDate: "digest_deal_push_date",
  dealWon: "digest_deal_won",
  /** Opens the lost-reason modal (VIEWS.reminderDealLost). */
  dealLost: "digest_deal_lost",
  /** The stage select; each option's value carries the deal and the stage. */
  dealStage: "digest_deal_stage",
  /** "Done" on a row of the `/ae followups` list (the digest's button is followUpDone). */
  followUpDoneInList: "followup_done_list",
  homeAddAccount: "home_add_account",
  homeLogTouch: "home_log_touch",
  homeAddFollowUp: "home_add_followup",
  homeAddDeal: "home_add_deal",
  homeSettings: "home_settings",
  /** The Home tab's "Workspace settings" button (admins only). */
  homeAdmin: "home_admin",
  confirmGift: "confirm_gift",
  /** Buttons that run a `/ae` command again with a choice filled in (`rerun_command:<n>`): deal picks, gift list pages. */
  rerunCommand: "rerun_command",
  /** "Hand over" / "Cancel" under a `/ae reassign` confirmation. */
  reassignConfirm: "reassign_confirm",
  reassignCancel: "reassign_cancel",
} as const;

export const VIEWS = {
  addAccount: "add_account_modal",
  logTouch: "log_touch_modal",
  followUp: "followup_modal",
  deal: "deal_modal",
  settings: "settings_modal",
  admin: "admin_modal",
  messageTouch: "message_touch_modal",
  giftOverride: "gift_override_modal",
  team: "team_modal",
  /** The digest's own "Log touch" modal: on submit it also updates the digest row in place. */
  reminderLogTouch: "digest_log_touch_modal",
  /** "Lost" on a reminder's deal row: asks for the reason, then updates the row in place. */
  reminderDealLost: "digest_deal_lost_modal",
  /** Read-only account summary opened by a digest/Home "Open" button. */
  accountSummary: "account_summary_modal",
} as const;


/** Block and action ids inside the deal modal (VIEWS.deal). */
export const DEAL_MODAL = {
  accountBlock: "deal_account",
  accountInput: "deal_account_input",
  amountBlock: "deal_amount",
  amountInput: "deal_amount_input",
  stageBlock: "deal_stage",
  stageInput: "deal_stage_input",
  closeBlock: "deal_close",
  closeInput: "deal_close_input",
  forecastBlock: "deal_forecast",
  forecastInput: "deal_forecast_input",
} as const;

/** Block and action ids inside the gift override modal (VIEWS.giftOverride). */
export const GIFT_OVERRIDE_MODAL = {
  reasonBlock: "gift_override_reason",
  reasonInput: "gift_override_reason_input",
} as const;

/** Block ids (= action ids) inside the add-account modal (VIEWS.addAccount). */
export const ACCOUNT_MODAL = {
  name: "account_name",
  tier: "account_tier",
  value: "account_value",
  industry: "account_industry",
  individual: "account_individual",
} as const;

/** Block ids (= action ids) inside the log-touch and message-touch modals (VIEWS.logTouch, VIEWS.messageTouch). */
export const TOUCH_MODAL = {
  account: "touch_account",
  kind: "touch_kind",
  date: "touch_date",
  participants: "touch_participants",
  note: "touch_note",
} as const;

/** Block ids (= action ids) inside the follow-up modal (VIEWS.followUp). */
export const FOLLOWUP_MODAL = {
  account: "followup_account",
  title: "followup_title",
  due: "followup_due",
} as const;

/** Block ids (= action ids) inside the settings modal (VIEWS.settings). */
export const SETTINGS_MODAL = {
  time: "settings_time",
  days: "settings_days",
  language: "settings_language",
  zone: "settings_zone",
  pause: "settings_pause",
  skipDates: "settings_skip_dates",
} as const;

/** Block ids (= action ids) inside the workspace settings modal (VIEWS.admin). */
export const ADMIN_MODAL = {
  currency: "admin_currency",
  currencyConfirm: "admin_currency_confirm",
  fiscalStart: "admin_fiscal_start",
  timezone: "admin_timezone",
  pace: "admin_pace",
  neglectKey: "admin_neglect_key",
  neglectGrowth: "admin_neglect_growth",
  neglectStandard: "admin_neglect_standard",
  giftLimit: "admin_gift_limit",
  giftYear: "admin_gift_year",
  dealStall: "admin_deal_stall",
  dealCloseSoon: "admin_deal_close_soon",
  dealNoTouch: "admin_deal_no_touch",
  stageProbability: {
    prospect: "admin_prob_prospect",
    qualified: "admin_prob_qualified",
    proposal: "admin_prob_proposal",
    negotiation: "admin_prob_negotiation",
  },
  retentionNotes: "admin_retention_notes",
  retentionDeals: "admin_retention_deals",
  retentionDeparted: "admin_retention_departed",
  retentionGifts: "admin_retention_gifts",
} as const;

/** Block ids (= action ids) inside the reminder's lost-reason modal (VIEWS.reminderDealLost). */
export const REMINDER_LOST_MODAL = {
  reason: "digest_lost_reason",
} as const;

/** Block ids (= action ids) inside the reminder's log-touch modal (VIEWS.reminderLogTouch). */
export const REMINDER_TOUCH_MODAL = {
  kind: "digest_touch_kind",
  note: "digest_touch_note",
} as const;

/** Block ids (= action ids) inside the team modal (VIEWS.team). */
export const TEAM_MODAL = {
  name: "team_name",
  members: "team_members",
  channel: "team_channel",
  manager: "team_manager",
  options: "team_options",
  metrics: "team_metrics",
} as const;
