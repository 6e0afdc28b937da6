import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

PROGRAM = 'sast gate'


def stop(code, message):
    print(message, file=sys.stderr)
    sys.exit(code)


def tool(name):
    """The tool installed beside this interpreter (the pinned venv), else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    found = beside if os.access(beside, os.X_OK) else shutil.which(name)
    if found is None:
        stop(2, PROGRAM + ': ' + name + ' is not installed')
    return found


ORDER = ["CRITICAL","HIGH","MEDIUM","LOW"]
LEGACY = {"ERROR":"HIGH","WARNING":"MEDIUM","INFO":"LOW"}
APP_RULES = [".semgrep.yml",".semgrep.yaml",".semgrep"]


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
        text = str(error.get('message', error) if isinstance(error, dict) else error).strip().replace('\n', ' ')
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
