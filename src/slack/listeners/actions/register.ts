import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { register as pickAccount } from "./pick-account-action.js";
import { register as moreResults } from "./more-results-action.js";
import { register as followUpDoneInList } from "./followup-done-list-action.js";
import { register as homeAddAccount } from "./home-add-account-action.js";
import { register as homeLogTouch } from "./home-log-touch-action.js";
import { register as homeAddFollowUp } from "./home-add-followup-action.js";
import { register as rerunCommand } from "./rerun-command-action.js";
import { register as homeAddDeal } from "./home-add-deal-action.js";
import { register as confirmGift } from "./confirm-gift-action.js";
import { register as reminderLogTouch } from "./reminder-log-touch-action.js";
import { register as snoozeAccount } from "./snooze-account-action.js";
import { register as openAccount } from "./open-account-action.js";
import { register as followUpDone } from "./followup-done-action.js";
import { register as followUpSnooze } from "./followup-snooze-action.js";
import { register as homeSettings } from "./home-settings-action.js";
import { register as homeAdmin } from "./home-admin-action.js";
import { register as reassign } from "./reassign-action.js";
import { register as reminderDeals } from "./reminder-deal-actions.js";

/** Every action listener in this folder. */
export function register(app: App, deps: AppDeps): void {
  pickAccount(app, deps);
  moreResults(app, deps);
  followUpDoneInList(app, deps);
  homeAddAccount(app, deps);
  homeLogTouch(app, deps);
  homeAddFollowUp(app, deps);
  rerunCommand(app, deps);
  homeAddDeal(app, deps);
  confirmGift(app, deps);
  reminderLogTouch(app, deps);
  snoozeAccount(app, deps);
  openAccount(app, deps);
  followUpDone(app, deps);
  followUpSnooze(app, deps);
  homeSettings(app, deps);
  homeAdmin(app, deps);
  reassign(app, deps);
  reminderDeals(app, deps);
}
