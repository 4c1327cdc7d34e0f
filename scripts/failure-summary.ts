// Prints the failures found in a test run's log (vitest, eslint and tsc output streamed by Nx), so that the end of
// a long CI log says what failed and why. Usage: node scripts/failure-summary.ts <log file>
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/failure-summary.ts <log file>');
  process.exit(2);
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g;
const lines = readFileSync(file, 'utf8').replace(ansi, '').split('\n');

/** Lines that open a failure report, and how many lines after each are worth showing. */
const openers: Array<[RegExp, number]> = [
  [/⎯ (Failed Tests|Unhandled Errors?|Failed Suites)/, 2],
  [/\sFAIL\s/, 30],
  [/\s×\s/, 0],
  [/error TS\d+/, 2],
  [/^\S*\s+\d+:\d+\s+error\s/, 0],
  [/Failed tasks:/, 12],
];

const keep = new Set<number>();
lines.forEach((line, i) => {
  for (const [pattern, after] of openers) {
    if (!pattern.test(line)) continue;
    for (let j = i; j <= Math.min(lines.length - 1, i + after); j++) keep.add(j);
  }
});

const picked = [...keep].sort((a, b) => a - b);
const limit = 400;
console.log('\n==================== failures in this run ====================');
let previous = -2;
for (const i of picked.slice(0, limit)) {
  if (i !== previous + 1) console.log('   ...');
  console.log(lines[i]);
  previous = i;
}
if (picked.length > limit) console.log(`   ... ${picked.length - limit} more lines in the full log above`);
console.log('==============================================================');
