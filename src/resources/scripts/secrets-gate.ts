// The secrets gate the SecretsScan project runs (and the pre-commit starter runs before a commit),
// in Python 3. It runs the pinned detect-secrets, judges its JSON and prints where each finding is
// and which detector found it, never the secret nor its hash. Tests write it to a file, lint it
// with the pinned ruff and run it against a fake `detect-secrets` and against the real one.
import { pythonPrelude } from './prelude.js';

/** The file an application team keeps its audited false positives in (detect-secrets' own format). */
export const SECRETS_BASELINE = '.secrets.baseline';

/**
 * usage: secrets-gate [--baseline FILE] [PATH ...]; no PATH scans every file under the working
 * directory. Exit 0: nothing new; 1: a finding that the baseline does not hold (or holds as a real
 * secret); 2: bad usage, a bad baseline, or detect-secrets missing, failed, killed or unreadable.
 */
export const SECRETS_GATE_SCRIPT = `${pythonPrelude('secrets gate', ['tool'], ['argparse', 'json', 're', 'subprocess', 'tempfile'])}def load(path, what):
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        stop(2, 'secrets gate: ' + what + ' ' + path + ' is not readable JSON: ' + str(e)[:200])
    if not isinstance(data, dict) or not isinstance(data.get('results'), dict):
        stop(2, 'secrets gate: ' + what + ' ' + path + ' has no results map')
    return data


def findings(results):
    for filename, entries in sorted(results.items()):
        for e in entries if isinstance(entries, list) else [None]:
            if not isinstance(e, dict) or not isinstance(e.get('type'), str):
                stop(2, 'secrets gate: a finding in ' + filename + ' has no detector type')
            yield filename, e


def scan(command):
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        stop(2, 'secrets gate: detect-secrets did not finish in 900 s')
    if done.returncode < 0:
        stop(2, 'secrets gate: detect-secrets was killed by signal ' + str(-done.returncode))
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ['exit ' + str(done.returncode)])[-1]
        stop(2, 'secrets gate: detect-secrets failed: ' + why[:300])
    return done.stdout


def main():
    parser = argparse.ArgumentParser(prog='secrets-gate')
    parser.add_argument('--baseline', default='${SECRETS_BASELINE}')
    parser.add_argument('paths', nargs='*')
    args = parser.parse_args()
    command = [tool('detect-secrets'), 'scan', '--exclude-files', '^' + re.escape(args.baseline) + '$']
    command += args.paths or ['--all-files', '.']
    # (file, hash) the baseline holds: True when audited as a false positive or not audited, False when a real secret.
    known = {}
    with tempfile.TemporaryDirectory() as scratch:
        if not os.path.exists(args.baseline):
            out = scan(command)
            try:
                report = json.loads(out)
            except ValueError:
                stop(2, 'secrets gate: detect-secrets printed something that is not JSON: ' + repr(out[:200]))
            if not isinstance(report, dict) or not isinstance(report.get('results'), dict):
                stop(2, 'secrets gate: detect-secrets answered without a results map')
        else:
            for filename, e in findings(load(args.baseline, 'baseline')['results']):
                known[(filename, e.get('hashed_secret'))] = e.get('is_secret') is not True
            # The baseline's detector settings apply; detect-secrets writes the results into the copy.
            copy = os.path.join(scratch, 'baseline.json')
            shutil.copyfile(args.baseline, copy)
            scan(command + ['--baseline', copy])
            report = load(copy, 'the scan written to')
    new = []
    for filename, e in findings(report['results']):
        allowed = known.get((filename, e.get('hashed_secret')))
        if allowed is not True:
            flag = ' (audited as a real secret)' if allowed is False else ''
            new.append(filename + ':' + str(e.get('line_number', '?')) + ': ' + e['type'] + flag)
    for line in new:
        print(line)
    if new:
        stop(1, 'Secrets gate FAILED: ' + str(len(new)) + ' potential secret(s); remove each, or audit a false '
             'positive into ' + args.baseline + ' (detect-secrets scan --baseline ' + args.baseline + ')')
    print('Secrets gate passed: nothing found beyond the ' + str(len(known)) + ' audited in ' + args.baseline)


main()
`;
