// A template parameter as the builders declare it (name, console label, constraint, and whether it
// may change after creation), console groups, and the Parameters and Metadata sections they make.
import type { ParameterDefinition } from '../cfn/template.js';

/** A parameter with the label the console shows for it. */
export interface ParameterSpec {
  readonly name: string;
  readonly label: string;
  readonly definition: ParameterDefinition;
  /**
   * Why the value cannot change once the stack exists, and what to do instead; `cfn-cicd deploy`
   * refuses such a change before any change set. @default - the value may change on any update
   */
  readonly fixedAfterCreate?: string;
  /**
   * The pipeline sets the value on each release, and why a stack update must leave it out;
   * `cfn-cicd deploy` refuses a given value that differs from the stack's. @default - people set it
   */
  readonly setByPipeline?: string;
}

/** A console group: its label and its parameters, declared once, in the order the console shows them. */
export interface ParameterGroup {
  readonly label: string;
  readonly parameters: readonly ParameterSpec[];
}

/** A TCP port parameter's constraint. */
export const PORT = {
  Type: 'Number',
  MinValue: 1,
  MaxValue: 65535,
  ConstraintDescription: 'a TCP port, 1-65535',
} as const;

/** An IPv4 CIDR block (no leading zeros, prefix 0-32). */
export const IPV4_CIDR =
  '^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)$';

/** Every parameter of the groups, in order. */
export const parametersOf = (groups: readonly ParameterGroup[]): ParameterSpec[] => groups.flatMap((g) => g.parameters);

/** Parameters section of a template. */
export function parametersSection(groups: readonly ParameterGroup[]): Record<string, ParameterDefinition> {
  return Object.fromEntries(parametersOf(groups).map((s) => [s.name, s.definition]));
}

/** Metadata key under which a template tells `cfn-cicd deploy` what its parameters cannot do. */
export const DEPLOY_METADATA_KEY = 'cfn-cicd';
/** Key, under it, of the environments a promoting pipeline's templates release into, in order. */
export const DEPLOY_ENVIRONMENTS_KEY = 'Environments';
/** Under it, the account and Region a promoting pipeline with accounts and Regions is written for. */
export const DEPLOY_PIPELINE_KEY = 'Pipeline';

/**
 * Template metadata: AWS::CloudFormation::Interface (the groups in order, each parameter labelled)
 * and, for `cfn-cicd deploy`, the parameters fixed after creation and those the pipeline sets, each
 * with the reason and what to do.
 */
export function interfaceMetadata(groups: readonly ParameterGroup[]): Record<string, unknown> {
  const reasons = (pick: (p: ParameterSpec) => string | undefined) =>
    Object.fromEntries(parametersOf(groups).flatMap((p) => (pick(p) === undefined ? [] : [[p.name, pick(p)]])));
  const deploy = {
    ...(parametersOf(groups).some((p) => p.fixedAfterCreate !== undefined) && {
      FixedAfterCreate: reasons((p) => p.fixedAfterCreate),
    }),
    ...(parametersOf(groups).some((p) => p.setByPipeline !== undefined) && {
      SetByPipeline: reasons((p) => p.setByPipeline),
    }),
  };
  return {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: groups.map((g) => ({
        Label: { default: g.label },
        Parameters: g.parameters.map((p) => p.name),
      })),
      ParameterLabels: Object.fromEntries(parametersOf(groups).map((s) => [s.name, { default: s.label }])),
    },
    ...(Object.keys(deploy).length > 0 && { [DEPLOY_METADATA_KEY]: deploy }),
  };
}
