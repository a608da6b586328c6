import { describe, inject } from "vitest";
import type { Provider } from "../../src/db/client.js";
import { PROVIDERS } from "./test-database.js";

/**
 * Whether a provider's database can be used in this run: SQLite always, PostgreSQL when it answered the
 * globalSetup's probe (`global-setup.ts`; in CI it must, or the run fails at the start). Synchronous, so
 * it can pick suites at collection time: `describe.runIf(providerAvailable("postgresql"))(…)`.
 */
export function providerAvailable(provider: Provider): boolean {
  return provider !== "postgresql" || inject("postgresAvailable");
}

/**
 * `describe.each(PROVIDERS)` whose PostgreSQL suite is reported as skipped, not silently passed, when
 * PostgreSQL does not answer; the suites that run can rely on their `beforeAll` having set everything up.
 * `%s` in the name is replaced by the provider: keep the "[%s]" tag, CI counts tests per provider by it.
 */
export function describeEachProvider(name: string, body: (provider: Provider) => void): void {
  for (const provider of PROVIDERS) describe.runIf(providerAvailable(provider))(name.replace("%s", provider), () => body(provider));
}
