#!/usr/bin/env node
// The ae-assistant CLI. `npm ci` builds dist/ (the prepare script), so this works in a fresh clone.
import "../dist/cli/main.js";
