// The templates as CloudFormation deploys them for chosen parameter values: conditions evaluated,
// resources they leave out gone, parameters, mappings and `!Sub`s of parameters replaced by values.
// checkov and cfn-guard cannot evaluate conditions or parameters, so they read these copies: what a
// CloudFormation Hook (a Control Tower proactive control) sees for a stack launched with the values.
// cfn-lint reads the templates themselves: it evaluates every combination of conditions on its own.
// The copies are written as the shipped templates are (short-form YAML), so a rule that misreads a
// spelling misreads it on both.
import type { Json, JsonObject } from '../src/model/json.js';
import { isJsonObject } from '../src/model/json.js';
import { EXAMPLE_PARAMETERS } from './security/resolve.js';

/** An ACM certificate ARN of the documentation account. */
export const EXAMPLE_CERTIFICATE_ARN =
  'arn:aws:acm:us-east-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef';

/** A set of parameter values a test deploys the templates with (beyond their defaults). */
export interface Configuration {
  /** A short name for test titles and file names. */
  readonly name: string;
  /** What the values choose. */
  readonly description: string;
  readonly values: Readonly<Record<string, string>>;
}

/** Parameters without a default, as a test deploys them. */
export const REQUIRED_EXAMPLES: Readonly<Record<string, string>> = EXAMPLE_PARAMETERS;

/** The configurations every shipped template that runs the service is checked in (where it declares their parameters). */
export const CONFIGURATIONS: readonly Configuration[] = [
  { name: 'defaults', description: 'every parameter at its default', values: {} },
  {
    name: 'escape-hatch',
    description: 'an image that must run as root on a writable filesystem',
    values: { ContainerUser: '0', ReadOnlyRootFilesystem: 'false' },
  },
  {
    name: 'production',
    description: 'a production stack: the load balancer refuses deletion',
    values: { DeletionProtection: 'true' },
  },
  {
    name: 'first-environment',
    description: 'the first environment of a promoting pipeline: no synthetic probe',
    values: { SyntheticProbe: 'false' },
  },
  {
    name: 'pull-requests',
    description: 'the CodeConnections source with pull-request checks',
    values: { CodeConnectionArn: EXAMPLE_PARAMETERS['CodeConnectionArn'] as string, PullRequestChecks: 'true' },
  },
  {
    name: 'access-logs',
    description: 'the load balancer writes access logs to their own bucket',
    values: { AccessLogs: 'true' },
  },
  {
    name: 'https',
    description: 'HTTPS with an ACM certificate for the domain and its Route 53 alias: HTTP only redirects',
    values: {
      CertificateArn: EXAMPLE_CERTIFICATE_ARN,
      DomainName: 'app.example.com',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
    },
  },
  {
    name: 'private-tasks',
    description: 'the tasks in private subnets without public IPs, reaching AWS through VPC endpoints',
    values: { TaskSubnets: 'Private' },
  },
  {
    name: 'https-private',
    description: 'HTTPS and private tasks: the configuration a security review asks for',
    values: {
      CertificateArn: EXAMPLE_CERTIFICATE_ARN,
      DomainName: 'app.example.com',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      TaskSubnets: 'Private',
      AccessLogs: 'true',
      DeletionProtection: 'true',
    },
  },
];

/** Whether `template` declares every parameter `configuration` sets. */
export const appliesTo = (configuration: Configuration, template: JsonObject): boolean =>
  Object.keys(configuration.values).every((name) => name in ((template['Parameters'] ?? {}) as JsonObject));

/** Every parameter's value: the configuration's, else the default, else the example. */
export function parameterValues(
  template: JsonObject,
  values: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const declared = (template['Parameters'] ?? {}) as Record<string, JsonObject>;
  for (const name of Object.keys(values)) {
    if (!(name in declared)) throw new Error(`configuration sets ${name}, which the template does not declare`);
  }
  return Object.fromEntries(
    Object.entries(declared).map(([name, p]) => {
      const value = values[name] ?? (p['Default'] !== undefined ? String(p['Default']) : REQUIRED_EXAMPLES[name]);
      if (value === undefined) throw new Error(`no value for parameter ${name}: add one to REQUIRED_EXAMPLES`);
      return [name, value];
    }),
  );
}

const NO_VALUE = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

/** The template as CloudFormation deploys it with these parameter values (see the file's header). */
export function resolveConfiguration(template: JsonObject, values: Readonly<Record<string, string>> = {}): JsonObject {
  const parameters = (template['Parameters'] ?? {}) as Record<string, JsonObject>;
  const given = parameterValues(template, values);
  const conditions = (template['Conditions'] ?? {}) as JsonObject;
  const mappings = (template['Mappings'] ?? {}) as Record<string, Record<string, JsonObject>>;
  const decided = new Map<string, boolean>();

  // A value as the property it lands in takes it (the resource schema's type): lists split, numbers numeric.
  const parameter = (name: string): Json => {
    const type = String(parameters[name]?.['Type'] ?? 'String');
    const value = given[name] as string;
    if (type.startsWith('List<') || type === 'CommaDelimitedList') return value.split(',');
    return type === 'Number' ? Number(value) : value;
  };

  const condition = (node: Json): boolean => {
    if (typeof node === 'string') {
      const known = decided.get(node);
      if (known !== undefined) return known;
      if (conditions[node] === undefined) throw new Error(`condition ${node} is not declared`);
      const result = condition(conditions[node] as Json);
      decided.set(node, result);
      return result;
    }
    const [fn, arg] = Object.entries(node as JsonObject)[0] as [string, Json];
    const args = Array.isArray(arg) ? arg : [arg];
    switch (fn) {
      case 'Condition':
        return condition(String(arg));
      case 'Fn::Equals':
        return JSON.stringify(resolve(args[0] as Json)) === JSON.stringify(resolve(args[1] as Json));
      case 'Fn::Not':
        return !condition(args[0] as Json);
      case 'Fn::And':
        return args.every(condition);
      case 'Fn::Or':
        return args.some(condition);
      default:
        throw new Error(`condition function ${fn} is not modelled`);
    }
  };

  const substitute = (text: string, vars: JsonObject): Json => {
    const replaced = text.replace(/\$\{([^}!][^}]*)\}/g, (whole, name: string) => {
      if (name in vars) {
        const value = vars[name];
        return typeof value === 'string' ? value : whole;
      }
      return name in parameters ? String(parameter(name)) : whole;
    });
    const left = Object.fromEntries(Object.entries(vars).filter(([, v]) => typeof v !== 'string'));
    if (!/\$\{[^}!]/.test(replaced)) return replaced.replace(/\$\{!/g, '${');
    return { 'Fn::Sub': Object.keys(left).length > 0 ? [replaced, left] : replaced };
  };

  const value = (node: Json): Resolved => {
    if (Array.isArray(node)) return node.map(value).filter((n): n is Json => n !== NO_VALUE);
    if (!isJsonObject(node)) return node;
    const keys = Object.keys(node);
    const fn = keys.length === 1 ? (keys[0] as string) : '';
    const arg = node[fn] as Json;
    const args = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case 'Ref':
        if (arg === 'AWS::NoValue') return NO_VALUE;
        return typeof arg === 'string' && arg in parameters ? parameter(arg) : node;
      case 'Fn::If':
        return value((condition(String(args[0])) ? args[1] : args[2]) as Json);
      case 'Fn::FindInMap': {
        const keysResolved = args.map((a) => resolve(a));
        if (!keysResolved.every((k) => typeof k === 'string' || typeof k === 'number')) return { [fn]: keysResolved };
        const [map, top, second] = keysResolved.map(String) as [string, string, string];
        const found = mappings[map]?.[top]?.[second];
        if (found === undefined) throw new Error(`FindInMap ${map}/${top}/${second} has no value`);
        return found;
      }
      case 'Fn::Sub': {
        if (typeof arg === 'string') return substitute(arg, {});
        const vars = Object.fromEntries(
          Object.entries((args[1] ?? {}) as JsonObject).map(([k, v]) => [k, resolve(v)] as const),
        ) as JsonObject;
        return substitute(String(args[0]), vars);
      }
      default:
        return Object.fromEntries(
          Object.entries(node)
            .map(([k, v]) => [k, value(v)] as const)
            .filter((e): e is readonly [string, Json] => e[1] !== NO_VALUE),
        );
    }
  };
  const resolve = (node: Json): Json => {
    const v = value(node);
    return v === NO_VALUE ? null : v;
  };

  /** A section's entries that their Condition keeps, each without it, resolved. */
  const kept = (section: JsonObject): JsonObject =>
    Object.fromEntries(
      Object.entries(section)
        .filter(
          ([, entry]) =>
            !isJsonObject(entry) || entry['Condition'] === undefined || condition(String(entry['Condition'])),
        )
        .map(([id, entry]) => {
          const rest = { ...(entry as JsonObject) };
          delete rest['Condition'];
          return [id, resolve(rest)];
        }),
    );

  const resources = kept(template['Resources'] as JsonObject);
  for (const resource of Object.values(resources) as JsonObject[]) {
    const dependsOn = resource['DependsOn'];
    const targets = (Array.isArray(dependsOn) ? dependsOn : dependsOn === undefined ? [] : [dependsOn]).map(String);
    const missing = targets.filter((t) => !(t in resources));
    if (missing.length > 0) throw new Error(`DependsOn names ${missing.join(', ')}, which the values leave out`);
  }
  const rest = { ...template };
  delete rest['Conditions'];
  return {
    ...rest,
    Resources: resources,
    ...(template['Outputs'] !== undefined && { Outputs: kept(template['Outputs'] as JsonObject) }),
  };
}
