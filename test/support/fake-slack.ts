/**
 * The fake Slack the tests run the real Bolt app against. It ships with the app as the demo's built-in
 * Slack emulator (`src/demo/slack-emulator.ts`); this module re-exports it unchanged so tests keep importing
 * from `test/support/`.
 */
export * from "../../src/demo/slack-emulator.js";
