#!/usr/bin/env bash
# Creates .venv with the pinned Python tools from requirements-dev.txt, and .venv/scanners with the
# scanners the pipeline pins (the pre-commit starter's hash-locked requirements, so the suite runs
# the real detect-secrets and Semgrep against the gates). Idempotent: each venv is rebuilt only when
# its requirements file changed (the file's hash is stamped into the venv).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
req=requirements-dev.txt
scanners=$venv/scanners
scanner_req=examples/pre-commit/requirements-scanners.txt

python=${PYTHON:-python3}
current() { [ -f "$1/.requirements.sha256" ] && [ "$(cat "$1/.requirements.sha256")" = "$(sha256sum "$2" | cut -d' ' -f1)" ]; }
check_python() {
  if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    echo "bootstrap-python: $python is missing or older than 3.10; install Python 3.10+ or set PYTHON" >&2
    exit 1
  fi
}

if ! current "$venv" "$req" || [ ! -x "$venv/bin/cfn-lint" ]; then
  check_python
  echo "bootstrap-python: installing pinned tools from $req into $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  sha256sum "$req" | cut -d' ' -f1 >"$venv/.requirements.sha256"
fi

if ! current "$scanners" "$scanner_req"; then
  check_python
  echo "bootstrap-python: installing the pinned scanners from $scanner_req into $scanners" >&2
  rm -rf "$scanners"
  "$python" -m venv "$scanners"
  "$scanners/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: --require-hashes \
    -r "$scanner_req"
  sha256sum "$scanner_req" | cut -d' ' -f1 >"$scanners/.requirements.sha256"
fi
