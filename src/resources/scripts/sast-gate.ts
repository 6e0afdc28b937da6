// The static analysis gate the StaticAnalysis project runs (and the pre-commit starter runs before
// a commit), in Python 3: the pinned Semgrep CE with the platform's rules and the application's
// own, every finding printed as file, line, rule and severity, failing at or above a threshold.
// Tests write it to a file, lint it with the pinned ruff and run it against a fake `semgrep` and
// against the real one.
import { pythonPrelude } from './prelude.js';

/** Severities in the order the gate ranks them, most severe first (Semgrep's current names). */
export const SAST_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
/** Semgrep's legacy severity names and the current ones they equal (Semgrep's rule syntax reference). */
export const SAST_LEGACY_SEVERITIES = { ERROR: 'HIGH', WARNING: 'MEDIUM', INFO: 'LOW' } as const;
/** Where an application keeps its own Semgrep rules: a file or a directory of them. */
export const APP_RULE_PATHS = ['.semgrep.yml', '.semgrep.yaml', '.semgrep'] as const;

/**
 * usage: sast-gate --rules FILE [--rules FILE ...] --threshold SEVERITY [PATH ...]; no PATH scans
 * the working directory. Exit 0: nothing at or above the threshold; 1: findings at or above it;
 * 2: bad usage, a rule Semgrep cannot load, or semgrep missing, failed, killed or unreadable.
 */
export const SAST_GATE_SCRIPT = `${pythonPrelude('sast gate', ['tool'], ['argparse', 'json', 'subprocess', 'tempfile'])}ORDER = ${JSON.stringify(SAST_SEVERITIES)}
LEGACY = ${JSON.stringify(SAST_LEGACY_SEVERITIES)}
APP_RULES = ${JSON.stringify(APP_RULE_PATHS)}


def main():
    parser = argparse.ArgumentParser(prog='sast-gate')
    parser.add_argument('--rules', action='append', required=True)
    parser.add_argument('--threshold', required=True, choices=ORDER)
    parser.add_argument('paths', nargs='*')
    args = parser.parse_args()
    app_rules = [p for p in APP_RULES if os.path.exists(p)]
    with tempfile.TemporaryDirectory() as outside:
        # Semgrep prefixes a rule's ID with its file's directory under the working directory: copied
        # outside it, the platform's rules keep the IDs they are written with, here and in CodeBuild.
        copies = []
        for n, rules in enumerate(args.rules):
            copies.append(os.path.join(outside, str(n) + '-' + os.path.basename(rules)))
            try:
                shutil.copyfile(rules, copies[-1])
            except OSError as e:
                stop(2, 'sast gate: cannot read the rules ' + rules + ': ' + str(e))
        # --experimental runs Semgrep's own engine (osemgrep) without the legacy Python CLI.
        command = [tool('semgrep'), 'scan', '--experimental', '--json', '--metrics', 'off',
                   '--disable-version-check', '--quiet']
        for config in copies + app_rules:
            command += ['--config', config]
        command += ['--'] + (args.paths or ['.'])
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        except subprocess.TimeoutExpired:
            stop(2, 'sast gate: semgrep did not finish in 900 s')
    if done.returncode < 0:
        stop(2, 'sast gate: semgrep was killed by signal ' + str(-done.returncode))
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ['exit ' + str(done.returncode)])[-1]
        stop(2, 'sast gate: semgrep failed (exit ' + str(done.returncode) + '): ' + why[:300])
    try:
        report = json.loads(done.stdout)
    except ValueError:
        stop(2, 'sast gate: semgrep printed something that is not JSON: ' + repr(done.stdout[:200]))
    if not isinstance(report, dict) or not isinstance(report.get('results'), list):
        stop(2, 'sast gate: semgrep answered without a results list')
    for error in report.get('errors') or []:
        text = str(error.get('message', error) if isinstance(error, dict) else error).strip().replace('\\n', ' ')
        # A rule that does not load matches nothing: the gate would pass on no check at all.
        if not isinstance(error, dict) or error.get('level') == 'error':
            stop(2, 'sast gate: semgrep could not run a rule: ' + text[:300])
        print('note: ' + text[:300])
    counts = dict.fromkeys(ORDER, 0)
    blocking = ORDER[: ORDER.index(args.threshold) + 1]
    for r in report['results']:
        try:
            raw = r['extra']['severity']
            where = r['path'] + ':' + str(r['start']['line'])
            rule, message = r['check_id'], ' '.join(str(r['extra'].get('message', '')).split())
        except (KeyError, TypeError):
            stop(2, 'sast gate: a semgrep result lacks its path, line, rule or severity: ' + repr(r)[:200])
        severity = LEGACY.get(raw, raw)
        if severity not in ORDER:
            stop(2, 'sast gate: rule ' + rule + ' has severity ' + repr(raw) + ', not one of ' + ', '.join(ORDER))
        counts[severity] += 1
        mark = 'BLOCKING ' if severity in blocking else ''
        print(mark + where + ': ' + rule + ' (' + severity + ') ' + message[:200])
    print('Static analysis (' + ', '.join(args.rules + app_rules) + ') findings: ' + ', '.join(s + '=' + str(counts[s]) for s in ORDER))
    failing = [s + '=' + str(counts[s]) for s in blocking if counts[s] > 0]
    if failing:
        stop(1, 'Static analysis gate FAILED: ' + ', '.join(failing) + ' at or above ' + args.threshold)
    print('Static analysis gate passed: nothing at or above ' + args.threshold)


main()
`;
