/**
 * Vitest globalSetup (vitest.config.ts): probes PostgreSQL once for the whole run and provides the
 * answer to every test file, so a file can decide at collection time — synchronously — whether its
 * PostgreSQL suites run or are reported as skipped (see `providers.ts`). In CI the probe throws when
 * PostgreSQL does not answer, and the run fails before any test.
 */
import type { TestProject } from "vitest/node";
import { postgresAvailable } from "./test-database.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Whether the PostgreSQL test server answered when the run started. */
    postgresAvailable: boolean;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide("postgresAvailable", await postgresAvailable());
}
