/**
 * Request builders and v0 signing for the tests: the demo ships them (`src/demo/slack-requests.ts`); this module
 * re-exports them unchanged so tests keep importing from `test/support/`.
 */
export * from "../../src/demo/slack-requests.js";
