// The Python 3 helpers every script the templates carry shares (gates, release, SBOM attachment):
// one line and an exit code on every failure, settings from the environment, pinned tools found
// beside the interpreter, and the `aws` CLI run for its JSON answer, where a crash, a kill or an
// answer that is not JSON is an error, never a result. A script names the helpers it calls, so it
// imports only the modules they use (ruff's F401 holds every script to that).

/** The helpers a script can name. */
export type HelperName = 'stop' | 'setting' | 'seconds' | 'tool' | 'aws' | 'ecr';

interface Helper {
  /** Modules the helper's code uses. */
  readonly modules: readonly string[];
  /** Helpers its code calls. */
  readonly calls: readonly HelperName[];
  readonly code: string;
}

const HELPERS: Readonly<Record<HelperName, Helper>> = {
  stop: {
    modules: ['sys'],
    calls: [],
    code: `def stop(code, message):
    print(message, file=sys.stderr)
    sys.exit(code)`,
  },
  setting: {
    modules: ['os'],
    calls: ['stop'],
    code: `def setting(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == '':
        stop(2, PROGRAM + ': ' + name + ' is not set')
    return value`,
  },
  seconds: {
    modules: [],
    calls: ['setting'],
    code: `def seconds(name, default):
    text = setting(name, default)
    if not text.isdigit() or int(text) < 1:
        stop(2, PROGRAM + ': ' + name + '=' + repr(text) + ' is not a whole number of seconds')
    return int(text)`,
  },
  tool: {
    modules: ['os', 'shutil', 'sys'],
    calls: ['stop'],
    code: `def tool(name):
    """The tool installed beside this interpreter (the pinned venv), else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    found = beside if os.access(beside, os.X_OK) else shutil.which(name)
    if found is None:
        stop(2, PROGRAM + ': ' + name + ' is not installed')
    return found`,
  },
  aws: {
    modules: ['json', 'subprocess'],
    calls: ['stop'],
    code: `def aws(args, tolerate=(), retry_timeout=False):
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
        stop(2, PROGRAM + ': aws printed something that is not JSON: ' + repr(done.stdout[:200]))`,
  },
  ecr: {
    modules: [],
    calls: ['aws'],
    code: `def ecr(*args):
    """\`aws ecr <args>\`: the answer, which must be a JSON object."""
    answer = aws(['ecr', *args])
    if not isinstance(answer, dict):
        stop(2, PROGRAM + ': aws answered ' + repr(answer)[:200])
    return answer`,
  },
};

/** Helpers in the order a script defines them: each after those it calls. */
const ORDER = Object.keys(HELPERS) as HelperName[];

/** A script's opening: the imports it needs, PROGRAM (which starts every message), then the helpers. */
export function pythonPrelude(
  program: string,
  helpers: readonly HelperName[],
  modules: readonly string[] = [],
): string {
  const chosen = new Set<HelperName>();
  const add = (name: HelperName): void => {
    if (chosen.has(name)) return;
    HELPERS[name].calls.forEach(add);
    chosen.add(name);
  };
  helpers.forEach(add);
  const imports = new Set([...[...chosen].flatMap((name) => HELPERS[name].modules), ...modules]);
  const lines = [...imports].sort().map((m) => `import ${m}`);
  return `${lines.join('\n')}\n\nPROGRAM = '${program}'\n\n\n${ORDER.filter((name) => chosen.has(name))
    .map((name) => HELPERS[name].code)
    .join('\n\n\n')}\n\n\n`;
}
