// Bad and hostile input for every command, as a table: each row names the input, the exit code and
// the first line the CLI must print. Whatever the row, a failure (exit 2) is one `cfn-cicd:` line on
// stderr and leaves every file as it was; rows marked `measured` run as a separate process under a
// small heap, and their peak memory is bounded. Stand-in tools (test/tools/fake-tools.ts) crash, die,
// lie about their exit code and print garbage: none of that may ever read as a clean result.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_JSON_DEPTH } from '../../src/files.js';
import { TEMPLATE_LIMIT } from '../../src/model/template.js';
import { PACKAGE_ROOT, TOOLS_DIR_VARIABLE } from '../../src/tools/locate.js';
import { pipelineParameters, requiredValues, TEMPLATE_PATH } from '../deploy/template.js';
import { cli } from '../helpers.js';
import { MOTO_ENV } from '../moto.js';
import { deployingAws, fakeTools, withTools } from '../tools/fake-tools.js';

/** A row of the table. */
interface Row {
  /** What is given, in a few words. */
  readonly input: string;
  /** The command line, with `w(name)` naming a file of the workspace. */
  readonly argv: (w: (name: string) => string) => string[];
  readonly code: 0 | 1 | 2;
  /** The first line printed (stderr, else stdout). */
  readonly first: RegExp;
  /** Stand-in tools, by name: the body of a shell script. */
  readonly tools?: Readonly<Record<string, string>>;
  /** The stand-in tools are not executable. */
  readonly unexecutable?: boolean;
  /** Runs in the workspace instead of the project root. */
  readonly inWorkspace?: boolean;
  /** Runs as its own process with a small heap, its peak memory bounded. */
  readonly measured?: boolean;
}

/** Heap given to measured rows, and the bound on their whole process (V8, code, buffers). */
const HEAP_MB = 128;
const PEAK_RSS_MB = 256;

const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

// 9 levels of 9 aliases each: 9^9 (387 million) strings once expanded, in under 400 bytes.
const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghi'.split('').map((name, i) => {
    const prev = 'abcdefghi'[i] as string;
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
  'Resources:',
  '  Bucket:',
  '    Type: AWS::S3::Bucket',
  '    Properties: {Tags: *i}',
].join('\n');

/** The workspace every row runs against: one file per hostile input. */
async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-hostile-'));
  const files: Record<string, string | Buffer> = {
    'good.yaml': await readFile(join(PACKAGE_ROOT, 'test', 'fixtures', 'good', 'minimal.yaml')),
    'a[1].yaml': await readFile(join(PACKAGE_ROOT, 'test', 'fixtures', 'bad', 'unknown-property.yaml')),
    'bomb.yaml': ALIAS_BOMB,
    'anchor.yaml': 'Resources:\n  Topic: &topic\n    Type: AWS::SNS::Topic\n  Other: *topic\n',
    'deep.yaml': `Resources: ${deep(5000)}\n`,
    'deep.json': `{"Resources": ${deep(100_000)}}`,
    'big.yaml': `Resources: {}\n#${'x'.repeat(TEMPLATE_LIMIT.bytes)}\n`,
    'long-line.yaml': `Resources: {}\nDescription: ${'y'.repeat(TEMPLATE_LIMIT.bytes - 40)}\n`,
    'binary.yaml': Buffer.from([0x52, 0x65, 0x73, 0x3a, 0x20, 0xff, 0xfe, 0x00, 0x0a]),
    'list.yaml': '- a\n- b\n',
    'not-template.yaml': 'just: text\n',
    'required.json': JSON.stringify(requiredValues(pipelineParameters())),
    'bom-config.json': `\uFEFF${JSON.stringify({ project: 'payments' })}`,
    'array-config.json': '[]',
    'not-json.json': '{nope',
    'deep-config.json': `{"project": ${deep(MAX_JSON_DEPTH + 1)}}`,
    'very-deep-config.json': `{"project": ${deep(30_000)}}`,
    'deep-params.json': `{"GitHubOwner": ${deep(50_000)}}`,
    'README.md': '# Project\n',
    'half-markers.md': '# Project\n\n<!-- parameters:start -->\n',
    'out-of-order.md': '# Project\n\n<!-- architecture:end -->\n\n<!-- architecture:start -->\n',
    'a-file': 'not a directory',
    'default-suffix.yaml':
      'Parameters:\n  EnvironmentSuffix:\n    Type: String\n    Default: x_y\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n',
    'loose-suffix.yaml':
      'Parameters:\n  EnvironmentSuffix:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n',
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  await mkdir(join(dir, 'a-dir'));
  await mkdir(join(dir, 'empty'));
  // A directory where build must write a file: nothing may be replaced.
  await mkdir(join(dir, 'blocked', 'cicd-pipeline.yaml'), { recursive: true });
  await mkdir(join(dir, 'stale'));
  await writeFile(join(dir, 'stale', 'cicd-pipeline.yaml'), 'old\n');
  await writeFile(join(dir, 'stale', 'service-catalog-product.yaml'), 'old\n');
  await symlink('loop', join(dir, 'loop'));
  return dir;
}

/** Every path under `dir` with a hash of its content, to prove a failed command changed nothing. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    const stats = lstatSync(path);
    found.set(
      name,
      stats.isFile()
        ? createHash('sha256')
            .update(await readFile(path))
            .digest('hex')
        : 'other',
    );
  }
  return found;
}

const UNREACHABLE = 'http://127.0.0.1:9';
/** deploy with the required values and a bucket; the committed template unless `rest` names one. */
const deploy = (w: (name: string) => string, ...rest: string[]): string[] => [
  'deploy',
  ...(rest.includes('--template-file') ? [] : ['--template-file', TEMPLATE_PATH]),
  '--parameters',
  w('required.json'),
  '--s3-bucket',
  'cfn-cicd-uploads',
  '--endpoint-url',
  UNREACHABLE,
  ...rest,
];

const LINT_FINDING = JSON.stringify([
  {
    Filename: 'good.yaml',
    Level: 'Error',
    Message: 'made up',
    Rule: { Id: 'E0000' },
    Location: { Start: { LineNumber: 1, ColumnNumber: 1 } },
  },
]);
const next = (command: string) =>
  `\`aws cloudformation ${command} --stack-name cicd-pipeline-dev --endpoint-url ${UNREACHABLE.replace(/[.:/]/g, '\\$&')}\``;

const ROWS: readonly Row[] = [
  // The parser
  { input: 'no command', argv: () => [], code: 2, first: /^cfn-cicd: name a command: build, / },
  {
    input: 'an unknown command',
    argv: () => ['frobnicate'],
    code: 2,
    first: /^cfn-cicd: Unknown argument: frobnicate$/,
  },
  { input: 'an unknown flag', argv: () => ['build', '--bogus'], code: 2, first: /^cfn-cicd: Unknown argument: bogus$/ },
  { input: 'a stray argument', argv: () => ['build', 'extra'], code: 2, first: /^cfn-cicd: Unknown argument: extra$/ },
  {
    input: '--constructor',
    argv: () => ['--constructor'],
    code: 2,
    first: /^cfn-cicd: Unknown argument: constructor$/,
  },
  {
    input: 'deploy --constructor (Object member as a parameter flag)',
    argv: () => ['deploy', '--constructor', 'x'],
    code: 2,
    first: /^cfn-cicd: Unknown argument: constructor$/,
  },
  {
    input: 'deploy --to-string (camel-cases to an Object member)',
    argv: () => ['deploy', '--to-string=x'],
    code: 2,
    first: /^cfn-cicd: Unknown argument: to-string$/,
  },
  {
    input: 'diff --no-has-own-property',
    argv: () => ['diff', '--no-has-own-property'],
    code: 2,
    first: /^cfn-cicd: Unknown argument: no-has-own-property$/,
  },
  {
    input: 'diff --__proto__',
    argv: () => ['diff', '--__proto__', 'x'],
    code: 2,
    first: /^cfn-cicd: Unknown argument: __proto__$/,
  },
  { input: '--version', argv: () => ['--version'], code: 0, first: /^\d+\.\d+\.\d+$/ },
  { input: '-v', argv: () => ['-v'], code: 0, first: /^\d+\.\d+\.\d+$/ },
  { input: '-h', argv: () => ['-h'], code: 0, first: /^cfn-cicd <command> \[options\]$/ },
  { input: 'build -h', argv: () => ['build', '-h'], code: 0, first: /^cfn-cicd build$/ },
  {
    input: 'build --version',
    argv: () => ['build', '--version'],
    code: 2,
    first: /^cfn-cicd: Unknown argument: version$/,
  },

  // build
  { input: "build --out ''", argv: () => ['build', '--out', ''], code: 2, first: /^cfn-cicd: --out needs a value$/ },
  { input: 'build --out=', argv: () => ['build', '--out='], code: 2, first: /^cfn-cicd: --out needs a value$/ },
  { input: 'build --no-out', argv: () => ['build', '--no-out'], code: 2, first: /^cfn-cicd: --out needs a value$/ },
  {
    input: 'build --out.x a',
    argv: () => ['build', '--out.x', 'a'],
    code: 2,
    first: /^cfn-cicd: --out needs a value$/,
  },
  {
    input: 'build --out twice',
    argv: (w) => ['build', '--out', w('a'), '--out', w('b')],
    code: 2,
    first: /^cfn-cicd: --out is given more than once$/,
  },
  {
    input: 'build --config twice',
    argv: (w) => ['build', '--config', w('bom-config.json'), '--config', w('bom-config.json')],
    code: 2,
    first: /^cfn-cicd: --config is given more than once$/,
  },
  {
    input: 'build --out under a file',
    argv: (w) => ['build', '--out', w('a-file/templates')],
    code: 2,
    first:
      /^cfn-cicd: --out \S+a-file\/templates: cannot write \S+a-file\/templates\/cicd-pipeline\.yaml \(ENOTDIR\); nothing was written$/,
  },
  {
    input: 'build --out where a template is a directory',
    argv: (w) => ['build', '--out', w('blocked')],
    code: 2,
    first: /^cfn-cicd: --out \S+blocked: cannot write \S+blocked\/cicd-pipeline\.yaml \(EISDIR\); nothing was written$/,
  },
  {
    input: 'build --config missing',
    argv: (w) => ['build', '--out', w('never'), '--config', w('missing.json')],
    code: 2,
    first: /^cfn-cicd: --config \S+missing\.json: cannot read \(ENOENT\)$/,
  },
  {
    input: 'build --config a directory',
    argv: (w) => ['build', '--out', w('never'), '--config', w('a-dir')],
    code: 2,
    first: /^cfn-cicd: --config \S+a-dir: cannot read \(EISDIR\)$/,
  },
  {
    input: 'build --config a symlink loop',
    argv: (w) => ['build', '--out', w('never'), '--config', w('loop')],
    code: 2,
    first: /^cfn-cicd: --config \S+loop: cannot read \(ELOOP\)$/,
  },
  {
    input: 'build --config /dev/zero',
    argv: (w) => ['build', '--out', w('never'), '--config', '/dev/zero'],
    code: 2,
    first: /^cfn-cicd: --config \/dev\/zero: over 65,536 bytes, far more than a project name and ten tags need$/,
    measured: true,
  },
  {
    input: 'build --config /dev/urandom',
    argv: (w) => ['build', '--out', w('never'), '--config', '/dev/urandom'],
    code: 2,
    first: /^cfn-cicd: --config \/dev\/urandom: over 65,536 bytes/,
  },
  {
    input: 'build --config not UTF-8',
    argv: (w) => ['build', '--out', w('never'), '--config', w('binary.yaml')],
    code: 2,
    first: /^cfn-cicd: --config \S+binary\.yaml: not UTF-8 text$/,
  },
  {
    input: 'build --config not JSON',
    argv: (w) => ['build', '--out', w('never'), '--config', w('not-json.json')],
    code: 2,
    first: /^cfn-cicd: --config \S+not-json\.json: not valid JSON$/,
  },
  {
    input: 'build --config a JSON array',
    argv: (w) => ['build', '--out', w('never'), '--config', w('array-config.json')],
    code: 2,
    first: /^cfn-cicd: --config \S+array-config\.json: must be a JSON object/,
  },
  {
    input: `build --config nested ${MAX_JSON_DEPTH + 2} deep`,
    argv: (w) => ['build', '--out', w('never'), '--config', w('deep-config.json')],
    code: 2,
    first: new RegExp(`^cfn-cicd: --config \\S+deep-config\\.json: nested more than ${MAX_JSON_DEPTH} levels deep$`),
  },
  {
    input: 'build --config nested 30,000 deep',
    argv: (w) => ['build', '--out', w('never'), '--config', w('very-deep-config.json')],
    code: 2,
    first: /^cfn-cicd: --config \S+very-deep-config\.json: nested more than \d+ levels deep$/,
    measured: true,
  },
  {
    input: 'build --config with a byte-order mark',
    argv: (w) => ['build', '--out', w('built-with-bom'), '--config', w('bom-config.json')],
    code: 0,
    first: /^wrote \S+built-with-bom\/cicd-pipeline\.yaml \(\d+ bytes\)$/,
  },
  {
    input: 'build --check=1 (yargs would read it as false, and build)',
    argv: (w) => ['build', '--check=1', '--out', w('never')],
    code: 2,
    first: /^cfn-cicd: --check "1": takes no value, or true or false$/,
  },
  {
    input: 'build --check=maybe',
    argv: (w) => ['build', '--check=maybe', '--out', w('never')],
    code: 2,
    first: /^cfn-cicd: --check "maybe": takes no value, or true or false$/,
  },
  {
    input: 'build --check=true on an empty directory',
    argv: (w) => ['build', '--check=true', '--out', w('empty')],
    code: 1,
    first: /^\S+empty\/cicd-pipeline\.yaml is missing; run `npm run build` and commit it$/,
  },
  {
    input: 'build --check on an empty directory',
    argv: (w) => ['build', '--check', '--out', w('empty')],
    code: 1,
    first: /^\S+empty\/cicd-pipeline\.yaml is missing; run `npm run build` and commit it$/,
  },
  {
    input: 'build --check where a template is a directory',
    argv: (w) => ['build', '--check', '--out', w('blocked')],
    code: 1,
    first: /^\S+blocked\/cicd-pipeline\.yaml cannot be read; run `npm run build` and commit it$/,
  },
  {
    input: 'build --check on stale templates',
    argv: (w) => ['build', '--check', '--out', w('stale')],
    code: 1,
    first: /^\S+stale\/cicd-pipeline\.yaml differs from a fresh `cfn-cicd build`; run `npm run build` and commit it$/,
  },

  // validate
  {
    input: 'validate a missing file',
    argv: (w) => ['validate', w('missing.yaml')],
    code: 2,
    first: /^cfn-cicd: validate: \S+missing\.yaml: cannot read \(ENOENT\)$/,
  },
  {
    input: 'validate -- a missing file',
    argv: (w) => ['validate', '--', w('missing.yaml')],
    code: 2,
    first: /^cfn-cicd: validate: \S+missing\.yaml: cannot read \(ENOENT\)$/,
  },
  {
    input: 'validate outside the project, no files named',
    argv: () => ['validate'],
    inWorkspace: true,
    code: 2,
    first:
      /^cfn-cicd: validate: templates\/cicd-pipeline\.yaml: cannot read \(ENOENT\); run cfn-cicd in the project root, or name the templates to check$/,
  },
  {
    input: 'validate --no-files',
    argv: () => ['validate', '--no-files'],
    code: 2,
    first: /^cfn-cicd: --files needs a value$/,
  },
  {
    input: 'validate --files.x=1',
    argv: () => ['validate', '--files.x=1'],
    code: 2,
    first: /^cfn-cicd: --files needs a value$/,
  },
  {
    input: 'validate /dev/zero',
    argv: () => ['validate', '/dev/zero'],
    code: 2,
    first: /^cfn-cicd: validate: \/dev\/zero: not a regular file$/,
  },
  {
    input: 'validate a directory',
    argv: (w) => ['validate', w('a-dir')],
    code: 2,
    first: /^cfn-cicd: validate: \S+a-dir: not a regular file$/,
  },
  {
    input: 'validate a symlink loop',
    argv: (w) => ['validate', w('loop')],
    code: 2,
    first: /^cfn-cicd: validate: \S+loop: cannot read \(ELOOP\)$/,
  },
  {
    input: 'validate a file over 1 MiB',
    argv: (w) => ['validate', w('big.yaml')],
    code: 2,
    first: /^cfn-cicd: validate: \S+big\.yaml: \d+ bytes, over 1,048,576, CloudFormation's limit for a template$/,
  },
  {
    input: 'validate -- a file with glob characters in its name (real cfn-lint)',
    argv: (w) => ['validate', '--', w('a[1].yaml')],
    code: 1,
    first: /^\S+a\[1\]\.yaml:7:7 E3002 /,
  },
  {
    input: 'validate, cfn-lint killed by SIGKILL (as the kernel does for memory)',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': 'kill -KILL $$' },
    code: 2,
    first: /^cfn-cicd: cfn-lint was killed by SIGKILL \(out of memory, or killed by hand\): no result$/,
  },
  {
    input: 'validate, cfn-lint crashes (SIGSEGV)',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': 'kill -SEGV $$' },
    code: 2,
    first: /^cfn-cicd: cfn-lint was killed by SIGSEGV \(it crashed\): no result$/,
  },
  {
    input: 'validate, cfn-lint terminated (SIGTERM)',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': 'kill -TERM $$' },
    code: 2,
    first: /^cfn-cicd: cfn-lint was killed by SIGTERM: no result$/,
  },
  {
    input: 'validate, cfn-lint exits 0 and prints nothing',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': 'exit 0' },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 0\): no output$/,
  },
  {
    input: 'validate, cfn-lint exits 3 and prints nothing',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': 'exit 3' },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 3\): no output$/,
  },
  {
    input: 'validate, cfn-lint prints a traceback',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': 'echo "Traceback (most recent call last):" >&2; exit 1' },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 1\): Traceback \(most recent call last\):$/,
  },
  {
    input: 'validate, cfn-lint prints garbage with exit 0',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': 'echo "all good, trust me"' },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 0\): all good, trust me$/,
  },
  {
    input: 'validate, cfn-lint prints one 100,000-character line',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': "head -c 100000 /dev/zero | tr '\\0' z" },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 0\): z{200}…$/,
  },
  {
    input: 'validate, cfn-lint prints more than 32 MB',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': "head -c 40000000 /dev/zero | tr '\\0' z" },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed more than 32 MB; stopped it, no result$/,
    measured: true,
  },
  {
    input: 'validate, cfn-lint prints a JSON object',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': "echo '{}'" },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 0\): \{\}$/,
  },
  {
    input: 'validate, cfn-lint prints a finding without its fields',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': `echo '[{"Filename": "good.yaml"}]'; exit 2` },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 2\): \[\{"Filename": "good\.yaml"\}\]$/,
  },
  {
    input: 'validate, cfn-lint prints a finding of an unknown level',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': `echo '${LINT_FINDING.replace('"Error"', '"Fatal"')}'; exit 2` },
    code: 2,
    first: /^cfn-cicd: cfn-lint printed no findings report \(exit 2\): /,
  },
  {
    input: 'validate, cfn-lint reports no findings but exits 2',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': "echo '[]'; exit 2" },
    code: 2,
    first: /^cfn-cicd: cfn-lint exited 2, but its report of 0 finding\(s\) means exit 0: not a result to trust$/,
  },
  {
    input: 'validate, cfn-lint reports an error but exits 0',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': `echo '${LINT_FINDING}'` },
    code: 2,
    first: /^cfn-cicd: cfn-lint exited 0, but its report of 1 finding\(s\) means exit 2: not a result to trust$/,
  },
  {
    input: 'validate, a cfn-lint that cannot be executed',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': "echo '[]'" },
    unexecutable: true,
    code: 2,
    first: /^cfn-cicd: cfn-lint could not start \(EACCES\): \S+cfn-lint$/,
  },
  {
    input: 'validate, no cfn-lint where $CFN_CICD_TOOLS_DIR points',
    argv: (w) => ['validate', w('good.yaml')],
    tools: {},
    code: 2,
    first: /^cfn-cicd: cfn-lint not found in \$CFN_CICD_TOOLS_DIR \(\S+\): put it there, or unset CFN_CICD_TOOLS_DIR$/,
  },
  {
    input: 'validate, a stand-in cfn-lint that reports an error honestly',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': `echo '${LINT_FINDING}'; exit 2` },
    code: 1,
    first: /^good\.yaml:1:1 E0000 made up$/,
  },
  {
    input: 'validate, a stand-in cfn-lint that finds nothing honestly',
    argv: (w) => ['validate', w('good.yaml')],
    tools: { 'cfn-lint': "echo 'noise' >&2; echo '[]'" },
    code: 0,
    first: /^cfn-lint: no findings in 1 file\(s\)$/,
  },

  // deploy: everything refused before any AWS call (the endpoint is closed)
  {
    input: 'deploy --template-file an alias bomb',
    argv: (w) => deploy(w, '--template-file', w('bomb.yaml')),
    code: 2,
    first:
      /^cfn-cicd: --template-file \S+bomb\.yaml: not a CloudFormation template \(YAML anchor at line 1: CloudFormation takes no anchors \(&name\) or aliases \(\*name\)\)$/,
    measured: true,
  },
  {
    input: 'deploy --template-file one harmless anchor',
    argv: (w) => deploy(w, '--template-file', w('anchor.yaml')),
    code: 2,
    first: /^cfn-cicd: --template-file \S+anchor\.yaml: not a CloudFormation template \(YAML anchor at line \d+: /,
  },
  {
    input: 'deploy --template-file nested 5,000 deep',
    argv: (w) => deploy(w, '--template-file', w('deep.yaml')),
    code: 2,
    first:
      /^cfn-cicd: --template-file \S+deep\.yaml: not a CloudFormation template \(nested more than 64 levels deep at line 1\)$/,
    measured: true,
  },
  {
    input: 'deploy --template-file /dev/zero',
    argv: (w) => deploy(w, '--template-file', '/dev/zero'),
    code: 2,
    first: /^cfn-cicd: --template-file \/dev\/zero: over 1,048,576 bytes, CloudFormation's limit for a template$/,
    measured: true,
  },
  {
    input: 'deploy --template-file /dev/urandom',
    argv: (w) => deploy(w, '--template-file', '/dev/urandom'),
    code: 2,
    first: /^cfn-cicd: --template-file \/dev\/urandom: over 1,048,576 bytes/,
    measured: true,
  },
  {
    input: 'deploy --template-file one byte over 1 MiB',
    argv: (w) => deploy(w, '--template-file', w('big.yaml')),
    code: 2,
    first: /^cfn-cicd: --template-file \S+big\.yaml: over 1,048,576 bytes/,
  },
  {
    input: 'deploy --template-file a 1 MiB line (read, parsed, and its lack of parameters reported)',
    argv: (w) => deploy(w, '--template-file', w('long-line.yaml')),
    code: 1,
    first:
      /^cfn-cicd: unknown parameter "EnvironmentSuffix" from --parameters \S+required\.json; the template declares no parameters$/,
    measured: true,
  },
  {
    input: 'deploy --template-file not UTF-8',
    argv: (w) => deploy(w, '--template-file', w('binary.yaml')),
    code: 2,
    first: /^cfn-cicd: --template-file \S+binary\.yaml: not UTF-8 text$/,
  },
  {
    input: 'deploy --template-file a directory',
    argv: (w) => deploy(w, '--template-file', w('a-dir')),
    code: 2,
    first: /^cfn-cicd: --template-file \S+a-dir: cannot read \(EISDIR\)$/,
  },
  {
    input: 'deploy --template-file a YAML list',
    argv: (w) => deploy(w, '--template-file', w('list.yaml')),
    code: 2,
    first:
      /^cfn-cicd: --template-file \S+list\.yaml: not a CloudFormation template \(template must be a YAML mapping at the top level\)$/,
  },
  {
    input: 'deploy --template-file without Resources',
    argv: (w) => deploy(w, '--template-file', w('not-template.yaml')),
    code: 2,
    first: /^cfn-cicd: --template-file \S+not-template\.yaml: not a CloudFormation template \(no Resources section\)$/,
  },
  {
    input: 'deploy --parameters twice',
    argv: (w) => deploy(w, '--parameters', '/dev/zero'),
    code: 2,
    first: /^cfn-cicd: --parameters is given more than once$/,
  },
  {
    input: 'deploy --parameters /dev/zero (alone)',
    argv: () => ['deploy', '--template-file', TEMPLATE_PATH, '--parameters', '/dev/zero'],
    code: 2,
    first: /^cfn-cicd: --parameters \/dev\/zero: over 1,048,576 bytes, more than CloudFormation's 200 parameters need$/,
    measured: true,
  },
  {
    input: 'deploy --parameters nested 50,000 deep',
    argv: (w) => ['deploy', '--template-file', TEMPLATE_PATH, '--parameters', w('deep-params.json')],
    code: 2,
    first: /^cfn-cicd: --parameters \S+deep-params\.json: nested more than \d+ levels deep$/,
  },
  {
    input: 'deploy --github-owner and --GitHubOwner',
    argv: (w) => deploy(w, '--github-owner', 'a', '--GitHubOwner', 'b'),
    code: 2,
    first: /^cfn-cicd: --github-owner and --GitHubOwner both set GitHubOwner; give one$/,
  },
  {
    input: 'deploy --github-owner and --githubOwner, same value',
    argv: (w) => deploy(w, '--github-owner', 'a', '--githubOwner', 'a'),
    code: 2,
    first: /^cfn-cicd: --github-owner and --githubOwner both set GitHubOwner; give one$/,
  },
  {
    input: 'deploy --env-suffix and --environment-suffix',
    argv: (w) => deploy(w, '--env-suffix', 'dev', '--environment-suffix', 'dev'),
    code: 2,
    first: /^cfn-cicd: --env-suffix and --environment-suffix both set EnvironmentSuffix; give one$/,
  },
  {
    input: 'deploy --execute=0',
    argv: (w) => deploy(w, '--execute=0'),
    code: 2,
    first: /^cfn-cicd: --execute "0": takes no value, or true or false$/,
  },
  {
    input: 'deploy --no-execute=0',
    argv: (w) => deploy(w, '--no-execute=0'),
    code: 2,
    first: /^cfn-cicd: unknown option --no-execute; deploy's parameter flags for this template are /,
  },
  {
    input: 'deploy --emulator=no',
    argv: (w) => deploy(w, '--emulator=no'),
    code: 2,
    first: /^cfn-cicd: --emulator "no": takes no value, or true or false$/,
  },
  {
    input: 'docs --check=yes',
    argv: (w) => ['docs', '--check=yes', '--out', w('never'), '--readme', w('README.md')],
    code: 2,
    first: /^cfn-cicd: --check "yes": takes no value, or true or false$/,
  },
  {
    input: 'deploy --no-tags',
    argv: (w) => deploy(w, '--no-tags'),
    code: 2,
    first: /^cfn-cicd: --tags needs a value$/,
  },
  {
    input: 'deploy --no-parameter',
    argv: (w) => deploy(w, '--no-parameter'),
    code: 2,
    first: /^cfn-cicd: --parameter needs a value$/,
  },
  {
    input: 'deploy --endpoint-url twice',
    argv: (w) => [...deploy(w), '--emulator', '--endpoint-url', 'https://cloudformation.us-east-1.amazonaws.com'],
    code: 2,
    first: /^cfn-cicd: --endpoint-url is given more than once$/,
  },
  {
    input: 'deploy --emulator at a remote endpoint',
    argv: (w) => [
      'deploy',
      '--parameters',
      w('required.json'),
      '--emulator',
      '--endpoint-url',
      'https://cloudformation.us-east-1.amazonaws.com',
    ],
    code: 2,
    first:
      /^cfn-cicd: --emulator needs --endpoint-url on this machine, with its port: http:\/\/localhost:5001 where moto_server listens$/,
  },
  {
    input: 'deploy --emulator without an endpoint',
    argv: (w) => ['deploy', '--parameters', w('required.json'), '--emulator'],
    code: 2,
    first:
      /^cfn-cicd: --emulator needs --endpoint-url on this machine, with its port: http:\/\/localhost:5001 where moto_server listens$/,
  },
  {
    input: 'deploy --emulator at a local endpoint without a port',
    argv: (w) => ['deploy', '--parameters', w('required.json'), '--emulator', '--endpoint-url', 'http://localhost'],
    code: 2,
    first: /^cfn-cicd: --emulator needs --endpoint-url on this machine, with its port: /,
  },
  {
    input: 'deploy --emulator with a profile',
    argv: (w) => [
      'deploy',
      '--parameters',
      w('required.json'),
      '--emulator',
      '--endpoint-url',
      'http://127.0.0.1:9',
      '--profile',
      'prod',
    ],
    code: 2,
    first: /^cfn-cicd: --emulator takes no --profile: the emulator gets throwaway credentials, never yours$/,
  },
  {
    input: 'deploy to an endpoint that refuses connections (real aws CLI)',
    argv: (w) => deploy(w),
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev not started: aws cloudformation describe-stacks: Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\/"$/,
  },
  {
    input: 'deploy, no aws where $CFN_CICD_TOOLS_DIR points',
    argv: (w) => deploy(w),
    tools: {},
    code: 2,
    first: /^cfn-cicd: deploy of stack cicd-pipeline-dev not started: aws not found in \$CFN_CICD_TOOLS_DIR /,
  },
  {
    input: 'deploy --profile with a space',
    argv: (w) => deploy(w, '--profile', 'my profile'),
    code: 2,
    first: /^cfn-cicd: --profile "my profile": must be a profile name of letters, digits and _\.\+@-$/,
  },
  {
    input: 'deploy --env-suffix that makes a stack name CloudFormation refuses',
    argv: (w) => [
      'deploy',
      '--template-file',
      w('loose-suffix.yaml'),
      '--env-suffix',
      'a_b',
      '--endpoint-url',
      UNREACHABLE,
    ],
    code: 2,
    first: /^cfn-cicd: --env-suffix "a_b": makes the stack name cicd-pipeline-a_b, which CloudFormation refuses$/,
  },
  {
    input: 'deploy of a template whose default EnvironmentSuffix makes a stack name CloudFormation refuses',
    argv: (w) => ['deploy', '--template-file', w('default-suffix.yaml'), '--endpoint-url', UNREACHABLE],
    code: 2,
    first: /^cfn-cicd: --env-suffix "x_y": makes the stack name cicd-pipeline-x_y, which CloudFormation refuses$/,
  },
  {
    input: 'deploy of a template that needs no capabilities (stand-in aws)',
    argv: (w) => ['deploy', '--template-file', w('good.yaml'), '--stack-name', 'topic', '--endpoint-url', UNREACHABLE],
    tools: { aws: deployingAws(undefined, 'CREATE_COMPLETE', 'exit 0') },
    code: 0,
    first: /^Deploying stack topic from \S+good\.yaml \(\d+ bytes; capabilities: none\)$/,
  },
  {
    input: 'deploy of a template without EnvironmentSuffix, no --stack-name',
    argv: (w) => ['deploy', '--template-file', w('good.yaml'), '--endpoint-url', UNREACHABLE],
    code: 2,
    first: /^cfn-cicd: --stack-name is required: the template has no EnvironmentSuffix$/,
  },
  {
    input: 'deploy, aws killed at the first call',
    argv: (w) => deploy(w),
    tools: { aws: 'kill -KILL $$' },
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev not started: aws cloudformation describe-stacks was killed by SIGKILL \(out of memory, or killed by hand\): no result$/,
  },
  {
    input: 'deploy, aws answers the first call with garbage',
    argv: (w) => deploy(w),
    tools: { aws: 'echo "<html>proxy error</html>"' },
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev not started: aws cloudformation describe-stacks printed output that is not JSON: <html>proxy error<\/html>$/,
  },
  {
    input: 'deploy, aws exits 3 (no AWS CLI exit code)',
    argv: (w) => deploy(w),
    tools: { aws: 'exit 3' },
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev not started: aws cloudformation describe-stacks exited with 3, not an AWS CLI exit code: no message$/,
  },
  {
    input: 'deploy, aws killed mid-deploy, stack left ROLLBACK_COMPLETE',
    argv: (w) => deploy(w),
    tools: { aws: deployingAws(undefined, 'ROLLBACK_COMPLETE', 'kill -KILL $$') },
    code: 2,
    first: new RegExp(
      `^cfn-cicd: deploy of stack cicd-pipeline-dev failed: aws cloudformation deploy was killed by SIGKILL \\(out of memory, or killed by hand\\): no result; stack cicd-pipeline-dev is ROLLBACK_COMPLETE: its creation failed and cannot be retried; see why: ${next('describe-stack-events')}, then delete it: ${next('delete-stack')}$`,
    ),
  },
  {
    input: 'deploy fails, stack created but its change set not executed',
    argv: (w) => deploy(w),
    tools: { aws: deployingAws(undefined, 'REVIEW_IN_PROGRESS', 'echo "Error: change set failed" >&2; exit 255') },
    code: 2,
    first: new RegExp(
      `^cfn-cicd: deploy of stack cicd-pipeline-dev failed: Error: change set failed; stack cicd-pipeline-dev is REVIEW_IN_PROGRESS: created empty, its change set not executed; delete it: ${next('delete-stack')}$`,
    ),
  },
  {
    input: 'deploy fails on an update, stack rolled back',
    argv: (w) => deploy(w),
    tools: { aws: deployingAws('UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'echo "Waiter failed" >&2; exit 255') },
    code: 2,
    first: new RegExp(
      `^cfn-cicd: deploy of stack cicd-pipeline-dev failed: Waiter failed; stack cicd-pipeline-dev is UPDATE_ROLLBACK_COMPLETE: back on its previous template and values; see why: ${next('describe-stack-events')}$`,
    ),
  },
  {
    input: 'deploy fails, and the stack events name the resource that failed',
    argv: (w) => deploy(w),
    tools: {
      aws: deployingAws(undefined, 'ROLLBACK_COMPLETE', 'echo "Waiter failed" >&2; exit 255').replace(
        `"cloudformation describe-stack-events") echo '{}' ;;`,
        `"cloudformation describe-stack-events") if [ -f "$dir/deployed" ]; then echo '${JSON.stringify({
          StackEvents: [
            {
              EventId: '1',
              Timestamp: '2026-01-31T12:00:00Z',
              LogicalResourceId: 'Service',
              ResourceType: 'AWS::ECS::Service',
              ResourceStatus: 'CREATE_FAILED',
              ResourceStatusReason: 'boom',
            },
          ],
        })}'; else echo '{}'; fi ;;`,
      ),
    },
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev failed: 2026-01-31T12:00:00Z {2}CREATE_FAILED {2}Service \(AWS::ECS::Service\): boom; stack cicd-pipeline-dev is ROLLBACK_COMPLETE: /,
  },
  {
    input: 'deploy fails without a word',
    argv: (w) => deploy(w),
    tools: { aws: deployingAws(undefined, 'ROLLBACK_COMPLETE', 'exit 255') },
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev failed: aws exited with 255; stack cicd-pipeline-dev is ROLLBACK_COMPLETE: /,
  },
  {
    input: 'deploy --no-execute, aws prints no change set ARN',
    argv: (w) => deploy(w, '--no-execute'),
    tools: { aws: deployingAws(undefined, 'REVIEW_IN_PROGRESS', 'echo "Waiting for changeset to be created.."') },
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev failed: aws cloudformation deploy printed no change set ARN: Waiting for changeset to be created\.\.; stack cicd-pipeline-dev is REVIEW_IN_PROGRESS: /,
  },
  {
    input: 'deploy fails and the stack can no longer be described',
    argv: (w) => deploy(w),
    tools: {
      aws: deployingAws(undefined, 'X', 'echo "Waiter failed" >&2; exit 255').replace(
        `echo '{"Stacks":[{"StackStatus":"X"}]}'`,
        'exit 3',
      ),
    },
    code: 2,
    first:
      /^cfn-cicd: deploy of stack cicd-pipeline-dev failed: Waiter failed; the state of stack cicd-pipeline-dev is unknown \(aws cloudformation describe-stacks exited with 3, not an AWS CLI exit code: no message\)$/,
  },

  // docs
  { input: "docs --out ''", argv: () => ['docs', '--out', ''], code: 2, first: /^cfn-cicd: --out needs a value$/ },
  {
    input: 'docs --readme /dev/zero',
    argv: (w) => ['docs', '--out', w('never'), '--readme', '/dev/zero'],
    code: 2,
    first: /^cfn-cicd: --readme \/dev\/zero: over 1,048,576 bytes, more than any README needs$/,
    measured: true,
  },
  {
    input: 'docs --readme missing',
    argv: (w) => ['docs', '--out', w('never'), '--readme', w('missing.md')],
    code: 2,
    first: /^cfn-cicd: --readme \S+missing\.md: cannot read \(ENOENT\)$/,
  },
  {
    input: 'docs --readme not UTF-8',
    argv: (w) => ['docs', '--out', w('never'), '--readme', w('binary.yaml')],
    code: 2,
    first: /^cfn-cicd: --readme \S+binary\.yaml: not UTF-8 text$/,
  },
  {
    input: 'docs --readme with a start marker and no end',
    argv: (w) => ['docs', '--out', w('never'), '--readme', w('half-markers.md')],
    code: 2,
    first:
      /^cfn-cicd: --readme \S+half-markers\.md: the Parameters block needs both <!-- parameters:start --> and <!-- parameters:end -->, in that order, or neither$/,
  },
  {
    input: 'docs --readme with the markers out of order',
    argv: (w) => ['docs', '--out', w('never'), '--readme', w('out-of-order.md')],
    code: 2,
    first:
      /^cfn-cicd: --readme \S+out-of-order\.md: the Architecture block needs both <!-- architecture:start --> and <!-- architecture:end -->, in that order, or neither$/,
  },
  {
    input: 'docs --out under a file',
    argv: (w) => ['docs', '--out', w('a-file/docs'), '--readme', w('README.md')],
    code: 2,
    first:
      /^cfn-cicd: --out \S+a-file\/docs: cannot write \S+a-file\/docs\/reference\.md \(ENOTDIR\); nothing was written$/,
  },
  {
    input: 'docs --readme that can be read but not replaced',
    argv: (w) => ['docs', '--out', w('docs-never'), '--readme', '/proc/version'],
    code: 2,
    first: /^cfn-cicd: --readme \/proc\/version: cannot write \/proc\/version \(\w+\); nothing was written$/,
  },

  // diff
  {
    input: 'diff --against an alias bomb',
    argv: (w) => ['diff', '--against', w('bomb.yaml')],
    code: 2,
    first: /^cfn-cicd: --against \S+bomb\.yaml: not a CloudFormation template \(YAML anchor at line 1: /,
    measured: true,
  },
  {
    input: 'diff --against JSON nested 100,000 deep',
    argv: (w) => ['diff', '--against', w('deep.json')],
    code: 2,
    first:
      /^cfn-cicd: --against \S+deep\.json: not a CloudFormation template \(nested more than 64 levels deep at line 1\)$/,
    measured: true,
  },
  {
    input: 'diff --against /dev/zero',
    argv: () => ['diff', '--against', '/dev/zero'],
    code: 2,
    first: /^cfn-cicd: --against \/dev\/zero: over 1,048,576 bytes, CloudFormation's limit for a template$/,
    measured: true,
  },
  {
    input: 'diff --against not UTF-8',
    argv: (w) => ['diff', '--against', w('binary.yaml')],
    code: 2,
    first: /^cfn-cicd: --against \S+binary\.yaml: not UTF-8 text$/,
  },
  {
    input: 'diff --against missing',
    argv: (w) => ['diff', '--against', w('missing.yaml')],
    code: 2,
    first: /^cfn-cicd: --against \S+missing\.yaml: cannot read \(ENOENT\)$/,
  },
  {
    input: 'diff --against twice',
    argv: (w) => ['diff', '--against', w('good.yaml'), '--against', w('good.yaml')],
    code: 2,
    first: /^cfn-cicd: --against is given more than once$/,
  },
  {
    input: 'diff --against and --stack',
    argv: (w) => ['diff', '--against', w('good.yaml'), '--stack', 's'],
    code: 2,
    first: /^cfn-cicd: Arguments against and stack are mutually exclusive$/,
  },
  {
    input: 'diff --template not emitted',
    argv: () => ['diff', '--template', 'nope.yaml'],
    code: 2,
    first: /^cfn-cicd: --template nope\.yaml: not an emitted template; one of /,
  },
  {
    input: 'diff --config nested too deep',
    argv: (w) => ['diff', '--config', w('deep-config.json')],
    code: 2,
    first: /^cfn-cicd: --config \S+deep-config\.json: nested more than \d+ levels deep$/,
  },
  {
    input: 'diff --stack at an endpoint that refuses connections (real aws CLI)',
    argv: () => ['diff', '--stack', 'cicd-pipeline-dev', '--endpoint-url', UNREACHABLE],
    code: 2,
    first:
      /^cfn-cicd: --stack cicd-pipeline-dev: aws cloudformation get-template: Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\/"$/,
  },
  {
    input: 'diff --stack, aws killed',
    argv: () => ['diff', '--stack', 'cicd-pipeline-dev'],
    tools: { aws: 'kill -KILL $$' },
    code: 2,
    first: /^cfn-cicd: --stack cicd-pipeline-dev: aws cloudformation get-template was killed by SIGKILL /,
  },
  {
    input: 'diff --stack, aws prints garbage',
    argv: () => ['diff', '--stack', 'cicd-pipeline-dev'],
    tools: { aws: 'echo "{not json"' },
    code: 2,
    first:
      /^cfn-cicd: --stack cicd-pipeline-dev: aws cloudformation get-template printed output that is not JSON: \{not json$/,
  },
  {
    input: 'diff --stack, aws answers an alias bomb',
    argv: () => ['diff', '--stack', 'cicd-pipeline-dev'],
    tools: { aws: `printf '%s\\n' '${JSON.stringify({ TemplateBody: ALIAS_BOMB })}'` },
    code: 2,
    first: /^cfn-cicd: --stack cicd-pipeline-dev: not a CloudFormation template \(YAML anchor at line 1: /,
  },
  {
    input: 'diff --stack, aws answers a template over 1 MiB',
    argv: () => ['diff', '--stack', 'cicd-pipeline-dev'],
    tools: {
      aws: `printf '{"TemplateBody": "Resources: {}\\\\n#'; head -c ${TEMPLATE_LIMIT.bytes} /dev/zero | tr '\\0' x; printf '"}\\n'`,
    },
    code: 2,
    first: /^cfn-cicd: --stack cicd-pipeline-dev: \d+ bytes, over 1,048,576, CloudFormation's limit for a template$/,
    measured: true,
  },
  {
    input: 'diff --stack, aws fails without a word',
    argv: () => ['diff', '--stack', 'cicd-pipeline-dev'],
    tools: { aws: 'exit 255' },
    code: 2,
    first: /^cfn-cicd: --stack cicd-pipeline-dev: aws cloudformation get-template: exit 255$/,
  },

  // publish
  {
    input: 'publish without --bucket',
    argv: () => ['publish'],
    code: 2,
    first: /^cfn-cicd: Missing required argument: bucket$/,
  },
  {
    input: 'publish --bucket twice',
    argv: () => ['publish', '--bucket', 'ok-bucket', '--bucket', 'other'],
    code: 2,
    first: /^cfn-cicd: --bucket is given more than once$/,
  },
  {
    input: 'publish --template-file /dev/zero',
    argv: () => ['publish', '--bucket', 'ok-bucket', '--template-file', '/dev/zero', '--endpoint-url', UNREACHABLE],
    code: 2,
    first: /^cfn-cicd: --template-file \/dev\/zero: over 1,048,576 bytes, CloudFormation's limit for a template$/,
    measured: true,
  },
  {
    input: 'publish --template-file an alias bomb',
    argv: (w) => ['publish', '--bucket', 'ok-bucket', '--template-file', w('bomb.yaml'), '--endpoint-url', UNREACHABLE],
    code: 2,
    first: /^cfn-cicd: --template-file \S+bomb\.yaml: not a CloudFormation template \(YAML anchor at line 1: /,
    measured: true,
  },
  {
    input: 'publish --template-file a directory',
    argv: (w) => ['publish', '--bucket', 'ok-bucket', '--template-file', w('a-dir'), '--endpoint-url', UNREACHABLE],
    code: 2,
    first: /^cfn-cicd: --template-file \S+a-dir: cannot read \(EISDIR\)$/,
  },
  {
    input: 'publish to an endpoint that refuses connections (real aws CLI)',
    argv: (w) => ['publish', '--bucket', 'ok-bucket', '--template-file', w('good.yaml'), '--endpoint-url', UNREACHABLE],
    code: 2,
    first:
      /^cfn-cicd: --bucket ok-bucket: cannot read the bucket's region \(aws s3api get-bucket-location: Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\/ok-bucket\?location"\)$/,
  },
  {
    input: 'publish, aws killed',
    argv: (w) => ['publish', '--bucket', 'ok-bucket', '--template-file', w('good.yaml')],
    tools: { aws: 'kill -KILL $$' },
    code: 2,
    first:
      /^cfn-cicd: --bucket ok-bucket: cannot read the bucket's region \(aws s3api get-bucket-location was killed by SIGKILL /,
  },
  {
    input: 'publish, aws prints garbage',
    argv: (w) => ['publish', '--bucket', 'ok-bucket', '--template-file', w('good.yaml')],
    tools: { aws: 'echo "garbage"' },
    code: 2,
    first:
      /^cfn-cicd: --bucket ok-bucket: cannot read the bucket's region \(aws s3api get-bucket-location printed output that is not JSON: garbage\)$/,
  },
];

/** Runs a row as its own process under a small heap; returns what it printed and its peak RSS in MB. */
async function measured(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const rssFile = join(await mkdtemp(join(tmpdir(), 'cfn-cicd-rss-')), 'rss');
  const bin = join(PACKAGE_ROOT, 'dist', 'test', 'measured-bin.js');
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, bin, ...argv], {
    cwd,
    env: { ...env, CFN_CICD_TEST_RSS_FILE: rssFile },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = (text: string) => text.split('\n').filter((l) => l !== '');
  const peakMb = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN')) / 1024;
  return { code, out: lines(out), err: lines(err), peakMb };
}

describe('hostile input: every command, as a table', function () {
  let dir: string;
  const w = (name: string): string => join(dir, name);

  before(async () => {
    Object.assign(process.env, MOTO_ENV);
    dir = await workspace();
  });

  it(`has ${ROWS.length} rows, every command among them`, () => {
    const commands = new Set(ROWS.map((row) => row.argv(w)[0]));
    for (const command of ['build', 'validate', 'deploy', 'docs', 'diff', 'publish']) {
      expect(commands, command).to.include(command);
    }
    expect(ROWS.length).to.be.greaterThan(100);
  });

  for (const row of ROWS) {
    it(`${row.input}: exit ${row.code}${row.measured ? `, under ${PEAK_RSS_MB} MB` : ''}`, async () => {
      const before = await snapshot(dir);
      const tools = row.tools ? await fakeTools(row.tools, row.unexecutable ? 0o644 : 0o755) : undefined;
      const cwd = row.inWorkspace ? dir : PACKAGE_ROOT;
      let result: { code: number | null; out: string[]; err: string[] };
      if (row.measured) {
        const env = { ...process.env, ...(tools ? { [TOOLS_DIR_VARIABLE]: tools } : {}) };
        const run = await measured(row.argv(w), env, cwd);
        expect(run.peakMb, 'peak RSS (MB)').to.be.lessThan(PEAK_RSS_MB);
        result = run;
      } else {
        const run = () => cli(row.argv(w));
        const inCwd = async () => {
          process.chdir(cwd);
          try {
            return await run();
          } finally {
            process.chdir(PACKAGE_ROOT);
          }
        };
        result = tools ? await withTools(tools, inCwd) : await inCwd();
      }
      const first = [...result.err, ...result.out].flatMap((text) => text.split('\n'))[0];
      expect(first, JSON.stringify(result)).to.match(row.first);
      expect(result.code, JSON.stringify(result.err)).to.equal(row.code);
      if (row.code === 2) {
        expect(result.err, 'one line').to.have.length(1);
        expect(await snapshot(dir), 'nothing written').to.deep.equal(before);
      }
    });
  }
});
