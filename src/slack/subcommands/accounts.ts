import { tokenize } from "../../domain/command-args.js";
import { accountListBlocks, ACCOUNTS_PAGE_SIZE } from "../blocks/account-list-blocks.js";
import { errorReply } from "../blocks/reply-blocks.js";
import type { Subcommand } from "./subcommand.js";

/** Longest search text; longer is refused with an example. */
const MAX_SEARCH = 100;

/**
 * `/ae accounts [search] [page:<n>]`: the actor's accounts (managers: their teams' too; admins:
 * all), most at-risk first, then most valuable, one page at a time with a "More" button.
 */
export const accounts: Subcommand = {
  name: "accounts",
  aliases: ["accts", "konten", "kunden"],
  run: async ({ actor, argsText, t, deps }) => {
    let page = 1;
    const words: string[] = [];
    for (const token of tokenize(argsText)) {
      if (token.kind === "option" && (token.key === "page" || token.key === "seite")) {
        if (!/^\d{1,4}$/.test(token.value) || Number(token.value) < 1) {
          return errorReply(t, t("accounts.error.page", { input: token.value.slice(0, 20) }), "/ae accounts page:2");
        }
        page = Number(token.value);
      } else if (token.kind === "option") words.push(`${token.key}:${token.value}`);
      else if (token.kind === "word") words.push(token.value);
    }
    const search = words.join(" ");
    if (search.length > MAX_SEARCH) return errorReply(t, t("accounts.error.searchTooLong", { max: MAX_SEARCH }), "/ae accounts acme");
    const principal = await deps.services.principal(actor);
    const result = await deps.services.accounts.list(actor, principal, { search, offset: (page - 1) * ACCOUNTS_PAGE_SIZE, limit: ACCOUNTS_PAGE_SIZE });
    return accountListBlocks(t, actor, result, deps.now());
  },
};
