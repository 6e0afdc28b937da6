// Ctrl-C (SIGINT) and SIGTERM: work that must clean up does, says what was left, and exits 128 + the
// signal's number; SIGKILL, which nothing can catch, leaves staging the next run removes.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAll } from '../src/commands/build.js';
import { InterruptedError } from '../src/errors.js';
import { interruptible } from '../src/interrupt.js';
import { PACKAGE_ROOT, TOOLS_DIR_VARIABLE } from '../src/tools/locate.js';
import { pipelineParameters, requiredValues, TEMPLATE_PATH } from './deploy/template.js';
import { cli } from './helpers.js';
import { fakeTools, pidOf, waitsToBeKilled, withTools } from './tools/fake-tools.js';

const BIN = join(PACKAGE_ROOT, 'dist', 'src', 'bin.js');
const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), `cfn-cicd-${prefix}-`));

/** The CLI as its own process; resolves with its exit code (or signal) and what it printed. */
function start(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, ...argv], { cwd: PACKAGE_ROOT, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('interruption', function () {
  this.timeout(60_000);

  it('interruptible turns SIGINT into an abort with an InterruptedError, and lets go of the signal after', async () => {
    const before = process.listenerCount('SIGINT');
    const reason = await interruptible(async (signal) => {
      expect(process.listenerCount('SIGINT')).to.equal(before + 1);
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGTERM', 'SIGTERM');
      return signal.reason as InterruptedError;
    });
    expect(reason).to.be.instanceOf(InterruptedError);
    expect(reason).to.include({ signal: 'SIGINT', message: 'interrupted by SIGINT', exitCode: 130 });
    expect(new InterruptedError('SIGTERM').exitCode).to.equal(143);
    expect(process.listenerCount('SIGINT')).to.equal(before);
  });

  it('build, SIGINT while it stages: exit 130, "nothing was written", the old templates untouched', async () => {
    const out = await tempDir('sigint-build');
    await writeFile(join(out, 'cicd-pipeline.yaml'), 'old\n');
    const before = process.listenerCount('SIGINT');
    const running = cli(['build', '--out', out]);
    // The handler appears when staging starts; the signal lands during staging's file-system calls.
    await new Promise<void>((resolve) => {
      const poll = () => {
        if (process.listenerCount('SIGINT') > before) {
          process.emit('SIGINT', 'SIGINT');
          resolve();
        } else setImmediate(poll);
      };
      poll();
    });
    const result = await running;
    expect(result).to.deep.include({ code: 130, err: ['cfn-cicd: interrupted by SIGINT: nothing was written'] });
    expect(await readdir(out)).to.deep.equal(['cicd-pipeline.yaml']);
    expect(await readFile(join(out, 'cicd-pipeline.yaml'), 'utf8')).to.equal('old\n');
  });

  it('build, a real SIGINT at any moment: the two templates are both old or both new, and no staging is left', async () => {
    const fresh = renderAll();
    for (const delayMs of [0, 100, 200, 300, 400, 600]) {
      const out = await tempDir('sigint-any');
      for (const file of fresh.keys()) await writeFile(join(out, file), 'old\n');
      const run = start(['build', '--out', out]);
      setTimeout(() => run.child.kill('SIGINT'), delayMs);
      const result = await run.done;
      const files = (await readdir(out)).sort();
      expect(files, `SIGINT after ${delayMs} ms`).to.deep.equal([...fresh.keys()].sort());
      const contents = await Promise.all([...fresh.keys()].map((file) => readFile(join(out, file), 'utf8')));
      const allOld = contents.every((text) => text === 'old\n');
      const allNew = contents.every((text, i) => text === [...fresh.values()][i]);
      expect(allOld || allNew, `SIGINT after ${delayMs} ms: ${JSON.stringify(result)}`).to.equal(true);
      // Either Node's default (killed by SIGINT), or the handler's exit 130, or done before the signal.
      expect([result.signal, result.code]).to.satisfy(
        ([signal, code]: [string | null, number | null]) => signal === 'SIGINT' || code === 130 || code === 0,
      );
    }
  });

  it('build, SIGKILL at any moment: the next build removes what the killed one staged', async () => {
    const out = await tempDir('sigkill');
    for (const delayMs of [150, 250, 350]) {
      const run = start(['build', '--out', out]);
      setTimeout(() => run.child.kill('SIGKILL'), delayMs);
      await run.done;
    }
    await mkdir(join(out, '.cfn-cicd-staging-999999999-left'));
    const result = await start(['build', '--out', out]).done;
    expect(result.code).to.equal(0);
    expect((await readdir(out)).sort()).to.deep.equal([...renderAll().keys()].sort());
  });

  describe('deploy, Ctrl-C while `aws cloudformation deploy` runs', () => {
    const required = requiredValues(pipelineParameters());
    let dir: string;
    let tools: string;
    const pidFile = () => join(tools, 'deploy.pid');

    beforeEach(async () => {
      dir = await tempDir('sigint-deploy');
      await writeFile(join(dir, 'required.json'), JSON.stringify(required));
      // Before the deploy the stack does not exist; once it runs, CloudFormation reports it creating.
      tools = await fakeTools({
        aws: `dir=$(dirname "$0")
case "$1 $2" in
  "cloudformation describe-stacks")
    if [ -f "$dir/deploy.pid" ]; then echo '{"Stacks": [{"StackStatus": "CREATE_IN_PROGRESS"}]}'
    else echo "An error occurred (ValidationError): Stack with id x does not exist" >&2; exit 255; fi ;;
  "cloudformation describe-stack-events") echo '{"StackEvents": []}' ;;
  "cloudformation deploy") ${waitsToBeKilled('$dir/deploy.pid')} ;;
esac`,
      });
    });

    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      it(`${signal}: stops the aws CLI, removes its temporary files, says what was left and exits ${code}`, async () => {
        const scratch = await tempDir('deploy-tmp');
        const run = start(
          [
            'deploy',
            '--template-file',
            TEMPLATE_PATH,
            '--parameters',
            join(dir, 'required.json'),
            '--s3-bucket',
            'cfn-cicd-uploads',
            '--endpoint-url',
            'http://127.0.0.1:9',
          ],
          { ...process.env, [TOOLS_DIR_VARIABLE]: tools, TMPDIR: scratch },
        );
        const awsPid = await pidOf(pidFile());
        run.child.kill(signal);
        const result = await run.done;
        expect(result.err.trim().split('\n')).to.deep.equal([
          `cfn-cicd: interrupted by ${signal}: stack cicd-pipeline-dev is CREATE_IN_PROGRESS: CloudFormation carries on without cfn-cicd; follow it: \`aws cloudformation describe-stack-events --stack-name cicd-pipeline-dev --endpoint-url http://127.0.0.1:9\``,
        ]);
        expect(result.code).to.equal(code);
        expect(alive(awsPid), 'the aws CLI was stopped').to.equal(false);
        expect(await readdir(scratch), 'temporary files').to.deep.equal([]);
      });
    }
  });

  it('publish, Ctrl-C while the aws CLI runs: exit 130 and what to do next', async () => {
    const tools = await fakeTools({ aws: waitsToBeKilled('$(dirname "$0")/aws.pid') });
    const result = await withTools(tools, async () => {
      const running = cli(['publish', '--bucket', 'ok-bucket', '--template-file', TEMPLATE_PATH]);
      await pidOf(join(tools, 'aws.pid'));
      process.emit('SIGINT', 'SIGINT');
      return running;
    });
    expect(result.code).to.equal(130);
    expect(result.err).to.deep.equal([
      'cfn-cicd: interrupted by SIGINT: publishing again finishes the job (an uploaded template is reused); the product stack may still be changing: `aws cloudformation describe-stack-events --stack-name cicd-catalog-dev`',
    ]);
  });
});

describe('a tool killed mid-run is never a clean result', function () {
  this.timeout(60_000);

  it('validate: cfn-lint killed by SIGKILL while it runs → exit 2, one line naming the signal', async () => {
    const tools = await fakeTools({ 'cfn-lint': waitsToBeKilled('$(dirname "$0")/lint.pid') });
    const result = await withTools(tools, async () => {
      const running = cli(['validate', TEMPLATE_PATH]);
      process.kill(await pidOf(join(tools, 'lint.pid')), 'SIGKILL');
      return running;
    });
    expect(result).to.deep.equal({
      code: 2,
      out: [],
      err: ['cfn-cicd: cfn-lint was killed by SIGKILL (out of memory, or killed by hand): no result'],
    });
  });

  it('diff --stack: the aws CLI killed by SIGTERM while it runs → exit 2, one line naming the signal', async () => {
    const tools = await fakeTools({ aws: waitsToBeKilled('$(dirname "$0")/aws.pid') });
    const result = await withTools(tools, async () => {
      const running = cli(['diff', '--stack', 'cicd-pipeline-dev']);
      process.kill(await pidOf(join(tools, 'aws.pid')), 'SIGTERM');
      return running;
    });
    expect(result).to.deep.equal({
      code: 2,
      out: [],
      err: ['cfn-cicd: --stack cicd-pipeline-dev: aws cloudformation get-template was killed by SIGTERM: no result'],
    });
  });
});
