import { defineConfig } from "vitest/config";

// .ci/run sets AE_VITEST_JSON so it can print true totals from vitest's JSON reporter.
const json = process.env.AE_VITEST_JSON;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Probes PostgreSQL once and provides the answer, so suites can be skipped at collection time.
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: json ? ["default", "json"] : ["default"],
    outputFile: json ? { json } : undefined,
  },
});
