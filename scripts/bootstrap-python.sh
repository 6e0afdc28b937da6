#!/usr/bin/env bash
# Creates .venv with the pinned Python tools from requirements-dev.txt. Idempotent: it does
# nothing when .venv was built from the current requirements file, and rebuilds it when the
# file changed (the file's hash is stamped into .venv).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
req=requirements-dev.txt
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/cfn-lint" ]; then
  exit 0
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "bootstrap-python: $python is missing or older than 3.10; install Python 3.10+ or set PYTHON" >&2
  exit 1
fi

echo "bootstrap-python: installing pinned tools from $req into $venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
echo "$want" >"$stamp"
