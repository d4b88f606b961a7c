#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx remediate` works on a fresh clone without a build step.
require('tsx/cjs');
require('../cli/main.ts');
