// The two failures a user can act on, raised anywhere in the library and printed by the CLI as one
// `cfn-cicd:` line with exit code 2. Anything else that escapes is a bug in cfn-cicd.

/** Bad input: a flag, a config or parameters file, a template, a value. The message names it and what is allowed. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A tool cfn-cicd runs (cfn-lint, checkov, the AWS CLI …) is missing, failed, was killed or printed nonsense. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}
