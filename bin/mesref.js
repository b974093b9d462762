#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig (JSX through preact) whatever the working directory mesref is started from.
process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));
register();
await import('../src/cli/main.ts');
