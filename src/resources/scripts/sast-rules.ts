// The platform's own Semgrep rules: few, each a pattern that is nearly always a defect, so the
// gate's HIGH default blocks only what a reviewer would block. Semgrep's registry rules are not
// fetched at run time (they are not pinned, and running them sends metrics); an application adds
// its own rules in .semgrep.yml or .semgrep/ (see README, "Static analysis"). Tests run each rule
// against a sample that must match and one that must not.
import yaml from 'js-yaml';

/** One Semgrep rule as its YAML takes it; exactly one of the pattern keys. */
export interface SemgrepRule {
  readonly id: string;
  readonly languages: readonly string[];
  readonly severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  readonly message: string;
  readonly metadata: { readonly cwe: string };
  readonly pattern?: string;
  readonly 'pattern-either'?: readonly object[];
  readonly patterns?: readonly object[];
  readonly 'pattern-regex'?: string;
  readonly paths?: { readonly include: readonly string[] };
}

const either = (...patterns: string[]) => patterns.map((pattern) => ({ pattern }));

export const PLATFORM_RULES: readonly SemgrepRule[] = [
  {
    id: 'platform.python.tls-verification-disabled',
    languages: ['python'],
    severity: 'HIGH',
    message: 'TLS certificate verification is off: anyone on the path can read and change the traffic.',
    metadata: { cwe: 'CWE-295' },
    pattern: 'requests.$METHOD(..., verify=False, ...)',
  },
  {
    id: 'platform.python.yaml-unsafe-load',
    languages: ['python'],
    severity: 'HIGH',
    message: 'This YAML loader builds arbitrary Python objects from the document: use yaml.safe_load.',
    metadata: { cwe: 'CWE-502' },
    'pattern-either': either(
      'yaml.unsafe_load(...)',
      'yaml.load(..., Loader=yaml.Loader, ...)',
      'yaml.load(..., Loader=yaml.UnsafeLoader, ...)',
      'yaml.load(..., Loader=yaml.FullLoader, ...)',
    ),
  },
  {
    id: 'platform.python.flask-debug',
    languages: ['python'],
    severity: 'HIGH',
    message: "Flask's debugger runs any code a visitor sends: never enable it outside a laptop.",
    metadata: { cwe: 'CWE-489' },
    pattern: '$APP.run(..., debug=True, ...)',
  },
  {
    id: 'platform.python.subprocess-shell',
    languages: ['python'],
    severity: 'MEDIUM',
    message: 'shell=True runs the command through /bin/sh, so any input in it is shell syntax: pass a list.',
    metadata: { cwe: 'CWE-78' },
    pattern: 'subprocess.$FUNC(..., shell=True, ...)',
  },
  {
    id: 'platform.python.pickle-load',
    languages: ['python'],
    severity: 'MEDIUM',
    message: 'Unpickling runs code chosen by whoever wrote the bytes: load only data this service wrote.',
    metadata: { cwe: 'CWE-502' },
    'pattern-either': either('pickle.load(...)', 'pickle.loads(...)'),
  },
  {
    id: 'platform.python.eval',
    languages: ['python'],
    severity: 'MEDIUM',
    message: 'eval/exec of a computed string runs it as code: parse the data instead (json, ast.literal_eval).',
    metadata: { cwe: 'CWE-95' },
    patterns: [
      { pattern: '$FUNC($CODE)' },
      { 'metavariable-regex': { metavariable: '$FUNC', regex: '^(eval|exec)$' } },
      { 'pattern-not': '$FUNC("...")' },
    ],
  },
  {
    id: 'platform.javascript.tls-verification-disabled',
    languages: ['javascript', 'typescript'],
    severity: 'HIGH',
    message: 'TLS certificate verification is off: anyone on the path can read and change the traffic.',
    metadata: { cwe: 'CWE-295' },
    'pattern-either': either('{..., rejectUnauthorized: false, ...}', 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"'),
  },
  {
    id: 'platform.javascript.eval',
    languages: ['javascript', 'typescript'],
    severity: 'MEDIUM',
    message: 'eval and new Function run a computed string as code: parse the data instead.',
    metadata: { cwe: 'CWE-95' },
    'pattern-either': [
      { patterns: [{ pattern: 'eval($CODE)' }, { 'pattern-not': 'eval("...")' }] },
      { pattern: 'new Function(...)' },
    ],
  },
  {
    id: 'platform.go.tls-verification-disabled',
    languages: ['go'],
    severity: 'HIGH',
    message: 'InsecureSkipVerify turns TLS certificate checks off: anyone on the path can read and change the traffic.',
    metadata: { cwe: 'CWE-295' },
    pattern: 'tls.Config{..., InsecureSkipVerify: true, ...}',
  },
  {
    id: 'platform.dockerfile.pipe-to-shell',
    languages: ['generic'],
    severity: 'MEDIUM',
    message:
      'A script piped from the network into a shell is unpinned and unchecked: download, verify a checksum, then run.',
    metadata: { cwe: 'CWE-494' },
    'pattern-regex': '(curl|wget)[^|\\n]*\\|\\s*(sudo\\s+)?(ba|z|da)?sh\\b',
    paths: { include: ['**/Dockerfile*', '**/*.dockerfile', '**/*.sh'] },
  },
];

/** The rules file the gate passes to Semgrep. */
// One rule per line (YAML flow style), so the rules stay short inside the buildspec.
export const platformRulesYaml = (): string =>
  yaml.dump({ rules: PLATFORM_RULES }, { flowLevel: 2, lineWidth: -1, noRefs: true });
