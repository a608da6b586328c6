import js from "@eslint/js";
import tseslint from "typescript-eslint";

// ── Layers (docs/DEVELOPING.md): src/domain → src/db → src/services → src/slack and src/jobs; main.ts wires.
// Each folder gets one `@typescript-eslint/no-restricted-imports` entry (in flat config a later entry
// replaces an earlier one's options, so every folder's list is complete on its own).

/** A relative import that leaves the current folder for one of ours, e.g. `../db/x.js`, `../../slack/y.js`. */
const into = (...folders) => `^(\\.\\./)+(${folders.join("|")})(/|$)`;
const TOP_LEVEL_MODULES = "^(\\.\\./)+(logger|bootstrap|main)\\.js$";

const WIRING_MESSAGE =
  "Only src/main.ts, src/cli/**, src/demo/** and src/bench/** build the app (createServices, createSlackApp, createJobs, bootstrap). Take what you need as a parameter instead.";
/** The modules that build everything. */
const WIRING = { regex: "(^|/)(slack/app|jobs/jobs|bootstrap|main)\\.js$|^\\./(app|jobs)\\.js$", message: WIRING_MESSAGE };
/** createServices' module: its types (`Services`) are the contract every layer above services receives. */
const SERVICES_WIRING = { regex: "(^|/)services/services\\.js$|^\\./services\\.js$", allowTypeImports: true, message: WIRING_MESSAGE };
/**
 * Beware: typescript-eslint exempts a type-only import from *every* pattern once it matches one
 * pattern with `allowTypeImports`. So src/domain and src/db, which may not even import the types,
 * get SERVICES_WIRING without the exemption.
 */
const SERVICES_WIRING_STRICT = { regex: SERVICES_WIRING.regex, message: WIRING_MESSAGE };

function layer(files, patterns, { typesOfServices = true } = {}) {
  return {
    files,
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [...patterns, WIRING, typesOfServices ? SERVICES_WIRING : SERVICES_WIRING_STRICT] }],
    },
  };
}

export default tseslint.config(
  { ignores: ["dist/**", "src/generated/**", "node_modules/**", "coverage/**", "data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", setImmediate: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },

  // Everything under src/ that is not listed below: no wiring modules.
  layer(["src/**/*.ts"], []),
  // The entry points wire; they may import anything.
  { files: ["src/main.ts", "src/cli/**/*.ts", "src/demo/**/*.ts", "src/bench/**/*.ts"], rules: { "@typescript-eslint/no-restricted-imports": "off" } },

  layer(["src/domain/**/*.ts"], [
    { regex: into("db", "services", "slack", "jobs", "cli", "demo", "bench", "i18n", "config", "runtime", "generated"), message: "src/domain is pure: it imports nothing of ours outside src/domain." },
    { regex: TOP_LEVEL_MODULES, message: "src/domain is pure: it imports nothing of ours outside src/domain." },
    { group: ["@slack/*", "@prisma/*", "pg", "better-sqlite3"], message: "src/domain is pure: no Slack, no Prisma, no database driver." },
  ], { typesOfServices: false }),

  layer(["src/db/**/*.ts"], [
    { regex: into("services", "slack", "jobs", "cli", "demo", "bench", "i18n", "config", "runtime"), message: "src/db imports only src/domain and src/generated." },
    { regex: TOP_LEVEL_MODULES, message: "src/db imports only src/domain and src/generated." },
    { group: ["@slack/*"], message: "src/db knows nothing of Slack." },
  ], { typesOfServices: false }),

  layer(["src/services/**/*.ts"], [
    { regex: into("slack", "jobs", "cli", "demo", "bench"), message: "src/services is below src/slack and src/jobs: return view models or typed results and let the caller render them." },
    { group: ["@slack/*"], message: "src/services knows nothing of Slack (log through AppLogger/ServiceLogger from src/logger.ts)." },
  ]),

  layer(["src/slack/**/*.ts"], [
    { regex: into("jobs", "cli", "demo", "bench"), message: "src/slack does not import src/jobs (or the entry points): shared pieces belong in src/services; wiring in src/main.ts." },
    { regex: into("db"), allowTypeImports: true, message: "src/slack reads and writes through services: import only types from src/db (pure predicates and constants live in src/domain)." },
  ]),

  layer(["src/jobs/**/*.ts"], [
    { regex: into("cli", "demo", "bench"), message: "src/jobs does not import the entry points." },
    {
      regex: "^(\\.\\./)+slack/(?!blocks/|notifier\\.js$|outbox-sender\\.js$)",
      message: "src/jobs uses only the Slack output side: src/slack/blocks/**, src/slack/notifier.ts and src/slack/outbox-sender.ts.",
    },
  ]),

  // Commands, listeners, middleware and the Home tab go through service methods, never a repository.
  // (The outbox plumbing — slack/app.ts, slack/celebrations.ts, the jobs — still hands
  // `services.repos.outbox` to the sender and enqueues through it.)
  {
    files: ["src/slack/subcommands/**/*.ts", "src/slack/listeners/**/*.ts", "src/slack/middleware/**/*.ts", "src/slack/blocks/**/*.ts", "src/slack/modals/**/*.ts", "src/slack/home-publisher.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='repos']", message: "src/slack calls service methods, not repositories (`services.repos.*`): add a method to the service." },
      ],
    },
  },
);
