import { canAdminister } from "../../domain/authorization.js";
import { settingsOf } from "../../services/workspace-settings-service.js";
import { adminModal } from "../blocks/admin-blocks.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { openView } from "../open-view.js";
import type { Subcommand } from "./subcommand.js";

/** `/ae admin`: the workspace settings modal, for admins (Slack admins and owners, or given the role). */
export const admin: Subcommand = {
  name: "admin",
  aliases: ["workspace", "verwaltung"],
  run: async ({ actor, t, client, triggerId, deps }) => {
    const decision = canAdminister(await deps.services.principal(actor));
    if (!decision.allowed) return deniedReply(t, decision.reason);
    const opened = await openView(client, triggerId, adminModal(settingsOf(actor.workspace), t, actor.locale), deps.logger);
    return opened ? undefined : errorReply(t, t("admin.modalFailed"));
  },
};
