// The Python both ECR scripts (the signature gate, the SBOM attachment) start with: how they stop,
// and one call of the aws CLI whose JSON answer is an object, any other outcome an error (exit 2).

/** The imports (with `modules`), then `stop`, `aws` and `setting`, naming `script` in every message. */
export const awsCliPrelude = (script: string, modules: readonly string[] = []): string => `${[
  ...new Set(['json', 'os', 'subprocess', 'sys', ...modules]),
]
  .sort()
  .map((m) => `import ${m}`)
  .join('\n')}


def stop(code, message):
    print(message, file=sys.stderr)
    sys.exit(code)


def aws(*args):
    """aws ecr <args> --output json: the answer as a dict; anything else stops the script (exit 2)."""
    command = ['aws', 'ecr'] + list(args) + ['--output', 'json']
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except FileNotFoundError:
        stop(2, '${script}: the aws CLI is not installed')
    except subprocess.TimeoutExpired:
        stop(2, '${script}: aws ecr ' + args[0] + ' did not answer in 120 s')
    if done.returncode < 0:
        stop(2, '${script}: aws was killed by signal ' + str(-done.returncode))
    if done.returncode != 0:
        error = (done.stderr.strip().splitlines() or ['exit ' + str(done.returncode)])[-1]
        stop(2, '${script}: aws ecr ' + args[0] + ' failed: ' + error)
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        stop(2, '${script}: aws printed something that is not JSON: ' + repr(done.stdout[:200]))
    if not isinstance(answer, dict):
        stop(2, '${script}: aws answered ' + repr(done.stdout[:200]))
    return answer


def setting(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == '':
        stop(2, '${script}: ' + name + ' is not set')
    return value


`;
