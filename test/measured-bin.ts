// The CLI exactly as bin.ts runs it, plus one thing: on exit, the process's peak resident set size
// (KiB) is written to the file named by $CFN_CICD_TEST_RSS_FILE, so a test can bound the memory
// any input costs.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  writeFileSync(process.env['CFN_CICD_TEST_RSS_FILE'] as string, String(process.resourceUsage().maxRSS));
});
await import('../src/bin.js');
