import type { App } from "@slack/bolt";
import { formatMoney, parseAmount } from "../../../domain/amounts.js";
import { isTier } from "../../../domain/account-tiers.js";
import { amountProblem } from "../../blocks/account-format.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { textReply } from "../../blocks/reply-blocks.js";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { ACCOUNT_MODAL, VIEWS } from "../../ids.js";
import { decodeModalMetadata } from "../../modals/account-modals.js";
import { accountProblemText } from "../../subcommands/account.js";
import { stateChecked, stateSelected, stateText } from "../../view-state.js";

/**
 * The add-account modal was submitted: every field is checked and problems are shown on the
 * field (the modal stays open with what was typed); on success the account is stored, the modal
 * closes, the user is told where they opened it (or by DM from the Home tab) and the Home tab refreshes.
 */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.addAccount,
    name: "add-account",
    fallbackBlock: ACCOUNT_MODAL.name,
    submit: async ({ actor, t, values, view }) => {
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
      if (Object.keys(errors).length > 0 || !isTier(tier)) return { kind: "errors", errors };
      const individual = stateChecked(values, ACCOUNT_MODAL.individual).includes("individual");
      const result = await deps.services.accounts.add(actor, {
        name,
        tier,
        annualValueCents,
        industry: industryText || null,
        kind: individual ? "individual" : "company",
      });
      if (result.kind === "duplicate") return { kind: "errors", errors: { [ACCOUNT_MODAL.name]: t("accounts.error.duplicatePlain", { name: result.existing.name.slice(0, 200) }) } };
      if (result.kind !== "created") {
        return { kind: "errors", errors: { [result.field === "name" ? ACCOUNT_MODAL.name : ACCOUNT_MODAL.industry]: accountProblemText(t, result.problem) } };
      }
      const value = annualValueCents > 0 ? ` · ${formatMoney(annualValueCents, actor.workspace.currency, actor.locale)}` : "";
      const text = `:white_check_mark: ${t("accounts.added", { name: escapeMrkdwn(result.account.name), facts: `${t(`accounts.tier.${tier}`)}${value}` })}`;
      return { kind: "saved", confirm: textReply(text), channelId: decodeModalMetadata(view.private_metadata).c ?? "" };
    },
  });
}
