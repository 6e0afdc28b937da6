// `npm run bench`: speed and size figures for the build and the guard runs. Prints a table; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderAll, renderTemplates } from '../src/commands/build.js';
import { DEFAULT_CONFIG, parseConfig } from '../src/config.js';
import { loadYaml } from '../src/render/yaml.js';
import { GUARD_RULES_FILE } from '../src/naming.js';
import { cfnGuard, CONTROL_TOWER_RULES } from '../src/tools/cfn-guard.js';
import { PACKAGE_ROOT } from '../src/tools/locate.js';

const IN_PROCESS_RUNS = 20;
const PROCESS_RUNS = 5;
const INLINE_DEPLOY_LIMIT = 51_200;
const TEMPLATE_LIMIT = 1_000_000;
const RESOURCE_LIMIT = 500;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

// Each child reports its own peak RSS on exit, so bare node and the build are measured the same way.
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))`;

function spawnNode(args: string[]): { ms: number; stderr: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: r.stderr };
}

/** Median wall time of plain runs; peak RSS from separate runs that report it (the hook costs time). */
function processFigures(args: string[]): { ms: number; rssMb: number } {
  spawnNode(args); // warm the file cache
  const times = Array.from({ length: PROCESS_RUNS }, () => spawnNode(args).ms);
  const rss = Array.from({ length: PROCESS_RUNS }, () => {
    const kb = Number(/maxrss=(\d+)/.exec(spawnNode(['--import', REPORT_RSS, ...args]).stderr)?.[1] ?? NaN);
    return kb / 1024;
  });
  return { ms: median(times), rssMb: Math.max(...rss) };
}

const inProcess: number[] = [];
renderAll(DEFAULT_CONFIG);
for (let i = 0; i < IN_PROCESS_RUNS; i++) {
  const start = performance.now();
  renderAll(DEFAULT_CONFIG);
  inProcess.push(performance.now() - start);
}

const out = mkdtempSync(join(tmpdir(), 'cfn-cicd-bench-'));
const bare = processFigures(['-e', '0']);
const build = processFigures([join(PACKAGE_ROOT, 'dist', 'src', 'bin.js'), 'build', '--out', out]);
rmSync(out, { recursive: true, force: true });

const rows: [string, string][] = [
  [`in-process build+render, median of ${IN_PROCESS_RUNS}`, `${median(inProcess).toFixed(1)} ms`],
  [`bare \`node -e 0\`, median of ${PROCESS_RUNS}`, `${bare.ms.toFixed(0)} ms, peak RSS ${bare.rssMb.toFixed(1)} MB`],
  [
    `\`cfn-cicd build\` process, median of ${PROCESS_RUNS}`,
    `${build.ms.toFixed(0)} ms (${(build.ms / bare.ms).toFixed(2)}x bare node; budget 4x), peak RSS ${build.rssMb.toFixed(1)} MB (${(build.rssMb / bare.rssMb).toFixed(2)}x)`,
  ],
];
// The promoting pipeline's templates too: each is deployed on its own, so each has its own limits.
const environments = parseConfig(
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'configs', 'environments.json'), 'utf8')),
  'configs/environments.json',
);
// Across accounts and Regions: also the target accounts' bootstrap and its StackSets.
const accounts = parseConfig(
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'configs', 'accounts.json'), 'utf8')),
  'configs/accounts.json',
);
const sized = [
  ...renderTemplates(DEFAULT_CONFIG),
  ...[...renderTemplates(environments)].map(([file, yaml]): [string, string] => [`environments/${file}`, yaml]),
  ...[...renderTemplates(accounts)].map(([file, yaml]): [string, string] => [`accounts/${file}`, yaml]),
];
for (const [file, yaml] of sized) {
  const bytes = Buffer.byteLength(yaml);
  const count = Object.keys(loadYaml(yaml)['Resources'] as object).length;
  rows.push([
    `${file} size`,
    `${bytes} bytes: ${((bytes / INLINE_DEPLOY_LIMIT) * 100).toFixed(1)}% of ${INLINE_DEPLOY_LIMIT} (inline deploy), ${((bytes / TEMPLATE_LIMIT) * 100).toFixed(1)}% of 1 MB`,
  ]);
  rows.push([`${file} resources`, `${count} of ${RESOURCE_LIMIT}`]);
}

// cfn-guard on each template written by the build above: all Control Tower controls, then the product's rules.
const GUARD_RUNS = 3;
const guardDir = mkdtempSync(join(tmpdir(), 'cfn-cicd-bench-guard-'));
const built = renderAll(DEFAULT_CONFIG);
for (const file of built.keys()) writeFileSync(join(guardDir, file), built.get(file) as string);
for (const file of renderTemplates(DEFAULT_CONFIG).keys()) {
  for (const [label, rules] of [
    ['Control Tower controls', CONTROL_TOWER_RULES],
    [GUARD_RULES_FILE, join(guardDir, GUARD_RULES_FILE)],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < GUARD_RUNS; i++) {
      const start = performance.now();
      await cfnGuard([rules], [join(guardDir, file)]);
      times.push(performance.now() - start);
    }
    rows.push([`cfn-guard, ${label}, on ${file}, median of ${GUARD_RUNS}`, `${median(times).toFixed(0)} ms`]);
  }
}
rmSync(guardDir, { recursive: true, force: true });

const width = Math.max(...rows.map(([k]) => k.length));
console.log(`${'measure'.padEnd(width)} | result`);
console.log(`${'-'.repeat(width)}-|-${'-'.repeat(40)}`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)} | ${v}`);
