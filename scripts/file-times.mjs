// A node:test reporter that writes, for each test file, the time its top-level tests took (their durations
// summed; a file's tests run one after another), slowest first; a suite a helper declares gets a line of its own.
// scripts/test.mjs shows those suites' lines under its slowest runs, so a CI log shows where the time goes.
import { relative } from 'node:path';

export default async function* fileTimes(source) {
  const perFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      // A suite a helper declares (describeBrowser in test/browser.ts) is named by the helper's file: its name
      // tells the suites apart.
      const where = event.data.file ?? '(unknown)';
      const file = /\.test\.tsx?$/.test(where) ? where : `${where} › ${event.data.name}`;
      perFile.set(file, (perFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const rows = [...perFile]
    .map(([file, ms]) => [relative(process.cwd(), file), ms])
    .sort((a, b) => b[1] - a[1]);
  for (const [file, ms] of rows) yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`;
}
