import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { formatMoney, parseAmount } from "../../../domain/amounts.js";
import { isTier } from "../../../domain/account-tiers.js";
import { translator, type Translator } from "../../../i18n/translate.js";
import { amountProblem } from "../../blocks/account-format.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import type { AppDeps } from "../../deps.js";
import { ACCOUNT_MODAL, VIEWS } from "../../ids.js";
import { confirmSaved, decodeModalMetadata, emitChanged } from "../../modals/account-modals.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { accountProblemText } from "../../subcommands/account.js";
import { stateChecked, stateSelected, stateText } from "../../view-state.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The add-account modal was submitted: every field is checked and problems are shown on the
 * field (the modal stays open with what was typed); on success the account is stored, the modal
 * closes and the Home tab refreshes.
 */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.addAccount, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, view, client }: Args, deps: AppDeps): Promise<void> {
  let t: Translator = translator("en");
  let acked = false;
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    t = translator(actor.language);
    const values = view.state.values;
    const errors: Record<string, string> = {};
    const name = stateText(values, ACCOUNT_MODAL.name);
    const industryText = stateText(values, ACCOUNT_MODAL.industry).trim();
    const invalid = deps.services.accounts.validate({ name, industry: industryText || null });
    if (invalid) errors[invalid.field === "name" ? ACCOUNT_MODAL.name : ACCOUNT_MODAL.industry] = accountProblemText(t, invalid.problem);
    const tier = stateSelected(values, ACCOUNT_MODAL.tier) ?? "standard";
    if (!isTier(tier)) errors[ACCOUNT_MODAL.tier] = t("accounts.error.tier", { input: tier.slice(0, 40) });
    const valueText = stateText(values, ACCOUNT_MODAL.value).trim();
    let annualValueCents = 0;
    if (valueText !== "") {
      const parsed = parseAmount(valueText, actor.locale);
      if (parsed.ok) annualValueCents = parsed.cents;
      else errors[ACCOUNT_MODAL.value] = amountProblem(t, parsed, valueText.slice(0, 40));
    }
    if (Object.keys(errors).length > 0 || !isTier(tier)) {
      acked = true;
      await ack({ response_action: "errors", errors });
      return;
    }
    const individual = stateChecked(values, ACCOUNT_MODAL.individual).includes("individual");
    const result = await deps.services.accounts.add(actor, {
      name,
      tier,
      annualValueCents,
      industry: industryText || null,
      kind: individual ? "individual" : "company",
    });
    if (result.kind !== "created") {
      const error =
        result.kind === "duplicate"
          ? { [ACCOUNT_MODAL.name]: t("accounts.error.duplicatePlain", { name: result.existing.name.slice(0, 200) }) }
          : { [result.field === "name" ? ACCOUNT_MODAL.name : ACCOUNT_MODAL.industry]: accountProblemText(t, result.problem) };
      acked = true;
      await ack({ response_action: "errors", errors: error });
      return;
    }
    acked = true;
    await ack();
    const value = annualValueCents > 0 ? ` · ${formatMoney(annualValueCents, actor.workspace.currency, actor.locale)}` : "";
    await emitChanged(actor, deps);
    await confirmSaved(client, actor, decodeModalMetadata(view.private_metadata).c, `:white_check_mark: ${t("accounts.added", { name: escapeMrkdwn(result.account.name), facts: `${t(`accounts.tier.${tier}`)}${value}` })}`, deps);
  } catch (error) {
    deps.logger.error("add-account submission failed", error);
    if (!acked) await ack({ response_action: "errors", errors: { [ACCOUNT_MODAL.name]: t("error.internal") } }).catch(() => undefined);
  }
}
