import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { register as addAccount } from "./add-account-view.js";
import { register as logTouch } from "./log-touch-view.js";
import { register as messageTouch } from "./message-touch-view.js";
import { register as followUp } from "./followup-view.js";
import { register as dealModal } from "./deal-modal-view.js";
import { register as giftOverride } from "./gift-override-view.js";
import { register as settings } from "./settings-view.js";
import { register as reminderLogTouch } from "./reminder-log-touch-view.js";
import { register as team } from "./team-view.js";
import { register as admin } from "./admin-view.js";
import { register as reminderDealLost } from "./reminder-deal-lost-view.js";

/** Every view listener in this folder. */
export function register(app: App, deps: AppDeps): void {
  addAccount(app, deps);
  logTouch(app, deps);
  messageTouch(app, deps);
  followUp(app, deps);
  dealModal(app, deps);
  giftOverride(app, deps);
  settings(app, deps);
  reminderLogTouch(app, deps);
  team(app, deps);
  admin(app, deps);
  reminderDealLost(app, deps);
}
