import { expect } from 'chai';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAll } from '../../src/commands/build.js';
import { failureLine, parser, VERSION } from '../../src/cli.js';
import { OPTIONS } from '../../src/commands/deploy.js';
import { locateTool, PACKAGE_ROOT, PINNED, requireTool, TOOLS_DIR_VARIABLE } from '../../src/tools/locate.js';
import { GUARD_RULES_FILE } from '../../src/naming.js';
import { cli } from '../helpers.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'cfn-cicd-test-'));

describe('cli', () => {
  describe('build', () => {
    it('writes every template into --out, as a fresh render', async () => {
      const out = await tempDir();
      const result = await cli(['build', '--out', out]);
      expect(result.code).to.equal(0);
      for (const [file, yaml] of renderAll()) expect(await readFile(join(out, file), 'utf8')).to.equal(yaml);
      expect(result.out.join('\n')).to.match(/wrote .*cicd-pipeline\.yaml \(\d+ bytes\)/);
      expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    });

    it('--check passes on a fresh build and fails, naming the file, after a hand edit', async () => {
      const out = await tempDir();
      await cli(['build', '--out', out]);
      expect((await cli(['build', '--check', '--out', out])).code).to.equal(0);
      const file = join(out, 'cicd-pipeline.yaml');
      await writeFile(file, `${await readFile(file, 'utf8')}# hand edit\n`);
      const stale = await cli(['build', '--check', '--out', out]);
      expect(stale.code).to.equal(1);
      expect(stale.err).to.deep.equal([
        `${file} differs from a fresh \`cfn-cicd build\`; run \`npm run build\` and commit it`,
      ]);
      await cli(['build', '--out', out]);
      expect((await cli(['build', '--check', '--out', out])).code).to.equal(0);
    });

    it('--check names the guard rules file when it is stale, like a template', async () => {
      const out = await tempDir();
      await cli(['build', '--out', out]);
      const rules = join(out, GUARD_RULES_FILE);
      await writeFile(rules, (await readFile(rules, 'utf8')).replace("'Retain'", "'Delete'"));
      const stale = await cli(['build', '--check', '--out', out]);
      expect(stale.code).to.equal(1);
      expect(stale.err).to.deep.equal([
        `${rules} differs from a fresh \`cfn-cicd build\`; run \`npm run build\` and commit it`,
      ]);
    });

    it('--check passes on the committed templates/', async () => {
      const result = await cli(['build', '--check', '--out', join(PACKAGE_ROOT, 'templates')]);
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
    });

    it('refuses an unwritable --out with one line, exit 2 and no file written', async () => {
      const dir = await tempDir();
      const blocker = join(dir, 'a-file');
      await writeFile(blocker, 'not a directory');
      const result = await cli(['build', '--out', join(blocker, 'templates')]);
      expect(result.code).to.equal(2);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.match(
        /^cfn-cicd: --out .*a-file\/templates: cannot write .*a-file\/templates\/cicd-pipeline\.yaml \(ENOTDIR\); nothing was written$/,
      );
      expect(await readdir(dir)).to.deep.equal(['a-file']);
    });

    it('applies tags from --config and refuses a bad config with one line naming the value', async () => {
      const dir = await tempDir();
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ project: 'payments', tags: { CostCenter: 'cc-1' } }));
      expect((await cli(['build', '--out', dir, '--config', good])).code).to.equal(0);
      expect(await readFile(join(dir, 'cicd-pipeline.yaml'), 'utf8')).to.include('Value: cc-1');

      const bad = join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ tags: { 'aws:owner': 'x' } }));
      const outDir = join(dir, 'never');
      const result = await cli(['build', '--out', outDir, '--config', bad]);
      expect(result.code).to.equal(2);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.include('tag key "aws:owner"');
      await readdir(outDir).then(
        () => expect.fail('nothing should be written'),
        (e: NodeJS.ErrnoException) => expect(e.code).to.equal('ENOENT'),
      );
    });

    it('refuses a config file that does not exist or is not JSON', async () => {
      const dir = await tempDir();
      expect((await cli(['build', '--out', dir, '--config', join(dir, 'missing.json')])).err[0]).to.match(
        /cannot read \(ENOENT\)/,
      );
      await writeFile(join(dir, 'x.json'), '{nope');
      expect((await cli(['build', '--out', dir, '--config', join(dir, 'x.json')])).err[0]).to.match(/not valid JSON$/);
    });
  });

  describe('usage errors', () => {
    const rows: [string[], RegExp][] = [
      [['frobnicate'], /^cfn-cicd: Unknown argument: frobnicate$/],
      [['build', '--bogus'], /^cfn-cicd: Unknown argument: bogus$/],
      [[], /^cfn-cicd: name a command: build, /],
    ];
    for (const [argv, message] of rows) {
      it(`\`cfn-cicd ${argv.join(' ')}\` prints one line and exits 2`, async () => {
        const result = await cli(argv);
        expect(result.code).to.equal(2);
        expect(result.err).to.have.length(1);
        expect(result.err[0]).to.match(message);
        expect(result.out).to.deep.equal([]);
      });
    }
  });

  describe('validate', () => {
    it('prints file:line:column rule message per finding and exits 1', async () => {
      const bad = join(PACKAGE_ROOT, 'test', 'fixtures', 'bad', 'unknown-property.yaml');
      const result = await cli(['validate', bad]);
      expect(result.code).to.equal(1);
      expect(result.out).to.have.length(1);
      expect(result.out[0]).to.match(/^.*unknown-property\.yaml:7:7 E3002 /);
    });

    it('ignores a .cfnlintrc in the working directory, which could switch rules off', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, '.cfnlintrc'), 'ignore_checks:\n  - E\n  - W\n  - I\n');
      const bad = join(PACKAGE_ROOT, 'test', 'fixtures', 'bad', 'unknown-property.yaml');
      process.chdir(dir);
      try {
        const result = await cli(['validate', bad]);
        expect(result.code).to.equal(1);
        expect(result.out[0]).to.match(/unknown-property\.yaml:7:7 E3002 /);
      } finally {
        process.chdir(PACKAGE_ROOT);
      }
    });

    it('exits 0 and says so when there is nothing to report', async () => {
      const good = join(PACKAGE_ROOT, 'test', 'fixtures', 'good', 'minimal.yaml');
      const result = await cli(['validate', good]);
      expect(result).to.deep.include({ code: 0, out: ['cfn-lint: no findings in 1 file(s)'] });
    });

    it('looks only in $CFN_CICD_TOOLS_DIR when set, else in .venv then PATH, and says how to get a tool it cannot find', () => {
      expect(locateTool('sh', { [TOOLS_DIR_VARIABLE]: '/bin', PATH: '/usr/bin' })).to.equal('/bin/sh');
      expect(locateTool('cfn-lint', { [TOOLS_DIR_VARIABLE]: '/nonexistent' })).to.equal(undefined);
      expect(locateTool('cfn-lint', {})).to.equal(join(PACKAGE_ROOT, '.venv', 'bin', 'cfn-lint'));
      expect(locateTool('cfn-lint')).to.equal(join(PACKAGE_ROOT, '.venv', 'bin', 'cfn-lint'));
      expect(locateTool('no-such-tool', { PATH: '/nonexistent' })).to.equal(undefined);
      expect(locateTool('sh', { PATH: '/bin' })).to.equal('/bin/sh');
      expect(() => requireTool('no-such-tool', PINNED.cfnLint, { PATH: '/nonexistent' })).to.throw(
        'no-such-tool not found in .venv or on PATH: run `npm run bootstrap` (installs the pinned tools into .venv) or `pip install cfn-lint==1.58.0`',
      );
      expect(() => requireTool('cfn-lint', PINNED.cfnLint, { [TOOLS_DIR_VARIABLE]: '/nonexistent' })).to.throw(
        'cfn-lint not found in $CFN_CICD_TOOLS_DIR (/nonexistent): put it there, or unset CFN_CICD_TOOLS_DIR',
      );
    });
  });

  describe('help and version', () => {
    /** The help text with every run of whitespace one space: a word broken across lines would not match. */
    const help = async (...argv: string[]) => {
      const result = await cli([...argv, '--help']);
      expect(result).to.deep.include({ code: 0, err: [] });
      return result.out.join(' ').replace(/\s+/g, ' ');
    };

    it('wraps the commands and their descriptions at spaces, never mid-word', async () => {
      const text = await help();
      const commands = (
        parser({ io: { out: () => undefined, err: () => undefined }, argv: [], exitCode: 0 }) as unknown as {
          getInternalMethods(): {
            getCommandInstance(): { getCommandHandlers(): Record<string, { description: string }> };
          };
        }
      )
        .getInternalMethods()
        .getCommandInstance()
        .getCommandHandlers();
      expect(Object.keys(commands)).to.have.length(6);
      for (const { description } of Object.values(commands)) expect(text).to.include(description);
    });

    it('wraps every deploy option at spaces, never mid-word', async () => {
      const text = await help('deploy');
      for (const option of Object.values(OPTIONS)) expect(text).to.include(option.describe.replace(/\s+/g, ' '));
      expect(text).to.include('Any template parameter is also a flag: GitHubOwner → --github-owner VALUE.');
    });

    it('-h is --help; --version and -v print the package version, exit 0', async () => {
      expect((await cli(['-h'])).out).to.deep.equal((await cli(['--help'])).out);
      const { version } = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(VERSION).to.equal(version);
      for (const flag of ['--version', '-v'])
        expect(await cli([flag])).to.deep.equal({ code: 0, out: [version], err: [] });
    });

    it('prints an unexpected Error, or anything else thrown, as an internal error, in one line', () => {
      expect(failureLine(new TypeError('x is undefined\n    at f'))).to.equal(
        'cfn-cicd: internal error: x is undefined (a bug in cfn-cicd: please report it with the command you ran)',
      );
      expect(failureLine('a string\nsecond line')).to.equal(
        'cfn-cicd: internal error: a string (a bug in cfn-cicd: please report it with the command you ran)',
      );
    });
  });
});
