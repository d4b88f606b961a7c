#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx remediate` works on a fresh clone without a build step.
// The CLI is started here, explicitly: npx, `npm link` and a global install run this file through a link
// named `remediate`, so the module cannot tell from its own path whether it is the entry point.
require('tsx/cjs');
require('../cli/main.ts').startCli(process.argv.slice(2));
