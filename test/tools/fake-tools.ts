// Stand-in tools for tests: small shell scripts found through $CFN_CICD_TOOLS_DIR (searched before
// .venv and PATH) that crash, get killed, hang, lie about their result or print garbage.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOLS_DIR_VARIABLE } from '../../src/tools/locate.js';

/** A directory holding one script per tool name; `mode` 0o644 makes a tool that cannot start. */
export async function fakeTools(scripts: Readonly<Record<string, string>>, mode = 0o755): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-fake-tools-'));
  for (const [tool, body] of Object.entries(scripts)) {
    const path = join(dir, tool);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, mode);
  }
  return dir;
}

/** Runs `work` with the fake tools in `dir` found first, in this process. */
export async function withTools<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const before = process.env[TOOLS_DIR_VARIABLE];
  process.env[TOOLS_DIR_VARIABLE] = dir;
  try {
    return await work();
  } finally {
    // Empty means unset to locateTool.
    process.env[TOOLS_DIR_VARIABLE] = before ?? '';
  }
}

/** A script body that records its pid in `pidFile`, then waits to be killed. */
export const waitsToBeKilled = (pidFile: string): string => `echo $$ > "${pidFile}"\nexec sleep 60`;

/** The pid a waiting fake wrote, once it has written it. */
export async function pidOf(pidFile: string, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await readFile(pidFile, 'utf8').catch(() => '');
    if (/^\d+\n$/.test(text)) return Number(text);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no pid in ${pidFile} after ${timeoutMs} ms`);
}

/**
 * A stand-in AWS CLI for deploy: describe-stacks answers `before` (undefined: the stack does not
 * exist) until `cloudformation deploy` has run, then `after` (a status, or a whole JSON answer);
 * the deploy itself runs `deployBody`; stack events are always none.
 */
export function deployingAws(before: string | undefined, after: string, deployBody: string): string {
  const describe = (status: string | undefined) =>
    status === undefined
      ? `echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id x does not exist" >&2; exit 255`
      : `echo '${status.startsWith('{') ? status : JSON.stringify({ Stacks: [{ StackStatus: status }] })}'`;
  return `dir=$(dirname "$0")
case "$1 $2" in
  "cloudformation describe-stacks") if [ -f "$dir/deployed" ]; then ${describe(after)}; else ${describe(before)}; fi ;;
  "cloudformation describe-stack-events") echo '{}' ;;
  "cloudformation describe-change-set") echo '{"ChangeSetName": "c", "Status": "CREATE_COMPLETE", "Changes": []}' ;;
  "cloudformation deploy") touch "$dir/deployed"; ${deployBody} ;;
  *) echo "fake aws: unexpected $*" >&2; exit 255 ;;
esac`;
}
