// The Python 3 helpers the CodeBuild scripts share (scan-gate.ts, release.ts): one line and an exit
// code on every failure, settings from the environment, and the `aws` CLI run for its JSON answer,
// where a crash, a kill or an answer that is not JSON is an error, never a result.

/** The prelude of a script whose messages start with `program`. */
export const pythonPrelude = (program: string): string => `import json
import os
import subprocess
import sys
import time

PROGRAM = '${program}'


def stop(code, message):
    print(message, file=sys.stderr)
    sys.exit(code)


def setting(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == '':
        stop(2, PROGRAM + ': ' + name + ' is not set')
    return value


def seconds(name, default):
    text = setting(name, default)
    if not text.isdigit() or int(text) < 1:
        stop(2, PROGRAM + ': ' + name + '=' + repr(text) + ' is not a whole number of seconds')
    return int(text)


def aws(args, tolerate=(), retry_timeout=False):
    """What \`aws <args>\` prints, parsed; None when it failed with a tolerated error (or timed out, if allowed)."""
    try:
        done = subprocess.run(['aws', *args, '--output', 'json'], capture_output=True, text=True, timeout=120,
                              check=False)
    except FileNotFoundError:
        stop(2, PROGRAM + ': the aws CLI is not installed')
    except subprocess.TimeoutExpired:
        if retry_timeout:
            return None
        stop(2, PROGRAM + ': aws ' + ' '.join(args[:2]) + ' did not answer within 120 s')
    if done.returncode < 0:
        stop(2, PROGRAM + ': aws was killed by signal ' + str(-done.returncode))
    if done.returncode != 0:
        error = done.stderr.strip().splitlines()[-1:] or ['exit ' + str(done.returncode)]
        if any(name in error[0] for name in tolerate):
            return None
        stop(2, PROGRAM + ': aws ' + ' '.join(args[:2]) + ' failed: ' + error[0])
    if done.stdout.strip() == '':
        return {}
    try:
        return json.loads(done.stdout)
    except ValueError:
        stop(2, PROGRAM + ': aws printed something that is not JSON: ' + repr(done.stdout[:200]))
`;
