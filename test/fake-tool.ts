// A fake command-line tool on PATH for running the scripts the templates carry: each call answers
// with the next step of a plan (stdout, stderr, exit code, or death by a signal) and logs its argv.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One answer of the fake tool. */
export interface FakeStep {
  readonly stdout?: string;
  readonly stderr?: string;
  /** @default 0 */
  readonly exit?: number;
  /** Die by this signal instead of exiting. @default - exits */
  readonly signal?: 'SIGKILL' | 'SIGTERM';
  /** Write `content` to the path that follows `flag` in the call's arguments (a report file). @default - writes nothing */
  readonly writeArgFile?: { readonly flag: string; readonly content: string };
}

/** A directory to put first on PATH, holding the fake tool, and its call log. */
export interface FakeTool {
  readonly bin: string;
  /** The argv of each call so far. */
  calls(): string[][];
}

// Python, so the fake runs wherever the scripts under test do; the last step repeats forever.
const FAKE = `#!/usr/bin/env python3
import json, os, signal, sys
here = os.path.dirname(os.path.abspath(__file__))
plan = json.load(open(os.path.join(here, 'plan.json')))
count_file = os.path.join(here, 'count')
n = int(open(count_file).read()) if os.path.exists(count_file) else 0
open(count_file, 'w').write(str(n + 1))
with open(os.path.join(here, 'calls.jsonl'), 'a') as log:
    log.write(json.dumps(sys.argv[1:]) + '\\n')
step = plan[min(n, len(plan) - 1)]
target = step.get('writeArgFile')
if target and target['flag'] in sys.argv:
    with open(sys.argv[sys.argv.index(target['flag']) + 1], 'w') as out:
        out.write(target['content'])
sys.stdout.write(step.get('stdout', ''))
sys.stderr.write(step.get('stderr', ''))
sys.stdout.flush()
if step.get('signal'):
    os.kill(os.getpid(), getattr(signal, step['signal']))
sys.exit(step.get('exit', 0))
`;

/** Writes a fake `name` into `bin` (default: a new temp directory) that answers with `plan`, one step per call. */
export function fakeTool(
  name: string,
  plan: readonly FakeStep[],
  bin: string = mkdtempSync(join(tmpdir(), `cfn-cicd-fake-${name}-`)),
): FakeTool {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'plan.json'), JSON.stringify(plan));
  writeFileSync(join(bin, name), FAKE);
  chmodSync(join(bin, name), 0o755);
  return {
    bin,
    calls: () => {
      try {
        return readFileSync(join(bin, 'calls.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as string[]);
      } catch {
        return [];
      }
    },
  };
}
