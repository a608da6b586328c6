import { helpBlocks } from "../blocks/help-blocks.js";
import type { Subcommand } from "./subcommand.js";

export const help: Subcommand = {
  name: "help",
  aliases: ["hilfe", "?"],
  run: async ({ t }) => helpBlocks(t),
};
