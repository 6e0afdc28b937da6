// The README's "Try it locally" snippet, run by bash exactly as written but for the port (a free
// one instead of 5001): moto_server in the background, then `npx cfn-cicd deploy --emulator`. No AWS
// credentials reach it; --emulator brings its own throwaway ones.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { freePort } from '../moto.js';

/** The first sh block after the README heading `heading`. */
async function readmeSnippet(heading: string): Promise<string> {
  const readme = await readFile(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  return /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
}

describe('README: try it locally (the snippet, run by bash as written)', function () {
  this.timeout(240_000);

  // tsc writes files 0644; `npx cfn-cicd` runs the package's bin directly, so `npm run build` (its
  // compile step) must leave it executable, or a new user's first command fails with "Permission denied".
  it('can run `npx cfn-cicd` right after the README setup: the compiled bin is executable', async () => {
    const { mode } = await stat(join(PACKAGE_ROOT, 'dist', 'src', 'bin.js'));
    expect(mode & 0o111, `mode ${(mode & 0o777).toString(8)}`).to.equal(0o111);
  });

  it('starts moto and deploys the stack with --emulator, no AWS credentials set', async () => {
    const snippet = await readmeSnippet('### Try it locally');
    expect(snippet).to.match(/^\.venv\/bin\/moto_server -H 127\.0\.0\.1 -p 5001 &\nnpx cfn-cicd deploy --emulator /);
    const script = snippet.replaceAll('5001', String(await freePort()));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    // The trap stops the server the snippet left running in the background.
    const bash = spawn('bash', ['-c', `trap 'kill $(jobs -p) 2>/dev/null' EXIT\nset -e\n${script}`], {
      cwd: PACKAGE_ROOT,
      env,
    });
    let out = '';
    let err = '';
    bash.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    bash.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => bash.on('close', resolve));
    expect(code, err).to.equal(0);
    expect(out).to.match(
      /^Deploying stack cicd-pipeline-dev from templates\/cicd-pipeline\.yaml, rewritten for the emulator /m,
    );
    expect(out).to.match(/^Stack cicd-pipeline-dev: CREATE_COMPLETE$/m);
  });
});
