// The scanners the platform's buildspecs download, each pinned to a version and to the sha256 of
// every wheel pip may install (PyPI's own digests). pip installs them with --require-hashes,
// --only-binary and --no-deps, so nothing is resolved or built at run time and what runs is
// byte for byte what this table names. The buildspecs, the pre-commit starter and the docs are
// all written from this table.
//
// To upgrade: change a version, then take each wheel's sha256 from
// https://pypi.org/simple/<package>/ (or `pip download --only-binary=:all: --no-deps
// --platform <tag> <package>==<version>` and `pip hash`), and run `npm test`.

/** Where a wheel installs: pure Python anywhere, or one OS and CPU (compiled code, one wheel per Python). */
export type WheelTarget = 'any' | 'linux-x86_64' | 'linux-aarch64' | 'macos-arm64' | 'macos-x86_64';

/** One wheel pip may install, by its sha256. */
export interface Wheel {
  readonly target: WheelTarget;
  /** CPython version of a compiled wheel, e.g. `cp311`. @default - any Python 3 */
  readonly python?: string;
  readonly sha256: string;
}

/** A Python package at one version and the wheels of it pip may install. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  readonly wheels: readonly Wheel[];
}

/** A scanner: its command, version and every package it runs on. */
export interface PinnedTool {
  /** The command the gate runs. */
  readonly command: string;
  readonly version: string;
  /** Arguments that make the command print exactly its version. */
  readonly versionArgs: readonly string[];
  /** The packages, the tool's own first. */
  readonly packages: readonly PinnedPackage[];
}

/** Compiled wheels of one package for CPython 3.10-3.13 on each target. */
const compiled = (hashes: Readonly<Record<string, Partial<Record<WheelTarget, string>>>>): Wheel[] =>
  Object.entries(hashes).flatMap(([python, targets]) =>
    Object.entries(targets).map(([target, sha256]) => ({ target: target as WheelTarget, python, sha256 })),
  );

const pure = (sha256: string): Wheel[] => [{ target: 'any', sha256 }];

/** Yelp's detect-secrets and its runtime closure (requests for its verifiers, PyYAML for its YAML transformer). */
export const DETECT_SECRETS: PinnedTool = {
  command: 'detect-secrets',
  version: '1.5.0',
  versionArgs: ['--version'],
  packages: [
    {
      name: 'detect-secrets',
      version: '1.5.0',
      wheels: pure('e24e7b9b5a35048c313e983f76c4bd09dad89f045ff059e354f9943bf45aa060'),
    },
    {
      name: 'requests',
      version: '2.34.2',
      wheels: pure('2a0d60c172f83ac6ab31e4554906c0f3b3588d37b5cb939b1c061f4907e278e0'),
    },
    {
      name: 'urllib3',
      version: '2.8.0',
      wheels: pure('0cf3cae568d36aa9576b28dfb35f11328f1cb974ca7647d9475ebb86c75ac6e3'),
    },
    { name: 'idna', version: '3.20', wheels: pure('ab7ae7122974553370f0bdb919e1a960b2cd1bc1ef0276416d896db81c14582c') },
    {
      name: 'certifi',
      version: '2026.10.19.post1',
      wheels: pure('1324c476b4811eff41a8bc2122cd0bbd4d9c7234c725446d99ab1612b3a7fdd2'),
    },
    {
      // The pure-Python wheel: the same code without the compiled speed-up, one hash for every platform.
      name: 'charset-normalizer',
      version: '3.5.3',
      wheels: pure('96e268b0cbda016ac519513294fcd17032264085b600abaac58b93049477e132'),
    },
    {
      name: 'PyYAML',
      version: '6.0.4',
      wheels: compiled({
        cp310: {
          'linux-x86_64': '88a089e6424a8a256321270620d5a4328ad5227fb2061b07d33f596894336914',
          'linux-aarch64': '54c23934cf166bb2090d73d82b1388aadb1cead5e73885223dcfa4a459a22d43',
          'macos-arm64': 'e39017e1cef43d03b2ba427f60213e4b36dbc6fb092235fa3de3a510ce064d3c',
          'macos-x86_64': '78be5a1b05a5d1fd46d0290393e5deeb581fa617585462c1b84f7c6b0cb1e489',
        },
        cp311: {
          'linux-x86_64': '622aa875fa6533f25fedcffe23079357d65a690d462200afed5d8e9d0e01ebee',
          'linux-aarch64': '71bb5b87465d88d1dfc577115af6d435bff9b26f2512936f610c26aa55966028',
          'macos-arm64': '730788375056c43d3ac15bd894c9cd2fb7a931a38b302f408620c64b3ef176ed',
          'macos-x86_64': '180ac792c958c2173f6e4467c55ae5f73ab1a9a624ee29fc7095c56d5e3a4055',
        },
        cp312: {
          'linux-x86_64': '93bfb2459195406a518e2f487a9bbf01df240175f31e06f5a252ac6734c7bbf0',
          'linux-aarch64': '45e37dd647db9d67b757444c74060c064ace5fdaa08f42bf4fda3812275d423e',
          'macos-arm64': '4d30c2f186612bd2f9f07c08a4c96721af59cfc8da3ec7cb27dfa2834e8bb019',
          'macos-x86_64': '1088ad740f50c13178dad16fbc2fa1f634c791d42c7009fdb390e38e5b90b788',
        },
        cp313: {
          'linux-x86_64': '50588147ab2c6a59b5f990a4905db80899a6c2bd197e046a6201f1e67587e794',
          'linux-aarch64': '41b4669c3a8fd5750e594dff59d3e62d40e321fec467b50449603710ed0a68f3',
          'macos-arm64': '9d4211f080920629a90c9e31c51e326fb70cfae38f18d4128b9913c23642bace',
          'macos-x86_64': '61eef2f08e977b725f37a8d1663f5a222c6f09207ac0794030d5fca062e7c96e',
        },
      }),
    },
  ],
};

/**
 * Semgrep Community Edition. One wheel and nothing else: the gate runs its OCaml engine directly
 * (`--experimental`, osemgrep), which needs none of the 66 Python packages the legacy CLI imports.
 * No macOS x86_64 or Windows wheel exists at this version.
 */
export const SEMGREP: PinnedTool = {
  command: 'semgrep',
  version: '1.185.0',
  versionArgs: ['--experimental', '--version'],
  packages: [
    {
      name: 'semgrep',
      version: '1.185.0',
      wheels: [
        { target: 'linux-x86_64', sha256: '0eb6aaadad5b957af96d1300487e10af1dc8016e8ef53072effb48cd4906c02b' },
        { target: 'linux-aarch64', sha256: '8cffbaf80abb8e39abc6d7a86588dcf94b7ddc1f40e8e16e555a1116347be3ef' },
        { target: 'macos-arm64', sha256: 'd54c7dc22f6f360e0f9f850b1ecdfe00ec755600f9cf2ec6be3928b42818f1b4' },
      ],
    },
  ],
};

/** Every scanner the platform pins. */
export const PINNED_TOOLS: readonly PinnedTool[] = [DETECT_SECRETS, SEMGREP];

/** What CodeBuild runs on: the curated image is Linux x86_64 (BUILD_IMAGE). */
export const CODEBUILD_TARGETS: readonly WheelTarget[] = ['any', 'linux-x86_64'];

/** pip's requirements for `tools`, every package with the hashes of its wheels for `targets`. */
export function requirementsText(tools: readonly PinnedTool[], targets?: readonly WheelTarget[]): string {
  const lines = tools
    .flatMap((tool) => tool.packages)
    .map((p) => {
      const hashes = p.wheels.filter((w) => targets === undefined || targets.includes(w.target));
      if (hashes.length === 0) throw new Error(`${p.name} ${p.version} has no wheel for ${targets?.join(', ')}`);
      return `${p.name}==${p.version} ${hashes.map((w) => `--hash=sha256:${w.sha256}`).join(' ')}`;
    });
  return `${[...new Set(lines)].join('\n')}\n`;
}

/** pip's flags for a locked install: the listed wheels only, each checked against its hash. */
export const LOCKED_INSTALL = '--no-deps --only-binary=:all: --require-hashes';

/** The buildspec command that installs `tool` into a fresh venv at `dir` from its pinned wheels. */
export const installCommand = (tool: PinnedTool, dir: string): string =>
  `python3 -m venv ${dir} && ${dir}/bin/pip install --quiet --disable-pip-version-check ${LOCKED_INSTALL} -r /dev/stdin <<'LOCK'\n${requirementsText([tool], CODEBUILD_TARGETS)}LOCK\n`;

/** The buildspec command that fails unless the installed tool is the pinned version. */
export const versionCheckCommand = (tool: PinnedTool, dir: string): string =>
  `${dir}/bin/${tool.command} ${tool.versionArgs.join(' ')} | grep -Fx '${tool.version}'`;
