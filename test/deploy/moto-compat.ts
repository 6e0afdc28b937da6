// The pipeline template as the pinned moto (5.2.5) can take it. Each rewrite answers one way moto
// fails outright on our template, quoted below; each keeps what the resource means.
import { isJsonObject } from '../../src/model/json.js';
import type { Json, JsonObject } from '../../src/model/json.js';
import { venvPython } from '../venv.js';

/** Resource types moto's CloudFormation creates for real; it skips the others (no physical resource). */
export function motoModeledTypes(): Set<string> {
  return new Set(
    venvPython<string[]>(
      'import json\nfrom moto.cloudformation.parsing import get_model_map\nprint(json.dumps(sorted(get_model_map())))',
    ),
  );
}

/** Types moto creates but lists without a physical id; their effect is read back through their parent. */
export const WITHOUT_PHYSICAL_ID: ReadonlySet<string> = new Set(['AWS::EC2::SecurityGroupIngress']);

const toNumber = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** Fn::Cidr on a literal block, as CloudFormation computes it: `count` consecutive blocks of 2^bits addresses. */
export function cidrBlocks(block: string, count: number, bits: number): string[] {
  const base = toNumber(block.split('/')[0] as string);
  return Array.from({ length: count }, (_, i) => `${toIp(base + i * 2 ** bits)}/${32 - bits}`);
}

/**
 * Rewrites, each for a moto failure on the untouched template:
 * 1. AWS::KMS::Key Tags are dropped: moto's KMS model passes CloudFormation's Key/Value tags to
 *    create_key, which wants TagKey/TagValue → `KeyError: 'TagKey'` (HTTP 500 on ExecuteChangeSet).
 * 2. Fn::GetAtt on a type moto skips becomes a placeholder ARN: moto raises "Template error:
 *    instance of Fn::GetAtt references undefined resource BuildProject" (PipelineRole's policy).
 * 3. Fn::Cidr on a literal block is computed here: moto does not implement Fn::Cidr, so
 *    `!Select [0, !Cidr …]` fails with `KeyError: 0` (HTTP 500).
 * 4. A Number parameter used as a Fn::FindInMap key is passed through Fn::Sub: moto resolves Number
 *    parameters to int and looks the int up among the mapping's string keys → `KeyError: 0`.
 */
export function motoCompatible(parsed: object, modeled: ReadonlySet<string>): JsonObject {
  const template = parsed as JsonObject;
  const resources = template['Resources'] as Record<string, JsonObject>;
  const parameters = (template['Parameters'] ?? {}) as Record<string, JsonObject>;
  const typeOf = (id: Json | undefined): string | undefined =>
    typeof id === 'string' ? (resources[id]?.['Type'] as string | undefined) : undefined;

  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isJsonObject(node)) return node;
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) {
      const type = typeOf(getAtt[0]);
      if (type !== undefined && !modeled.has(type)) {
        return {
          'Fn::Sub': `arn:\${AWS::Partition}:moto-unmodeled:\${AWS::Region}:\${AWS::AccountId}:${getAtt.join('/')}`,
        };
      }
    }
    const cidr = node['Fn::Cidr'];
    if (Array.isArray(cidr) && typeof cidr[0] === 'string') {
      return cidrBlocks(cidr[0], Number(cidr[1]), Number(cidr[2]));
    }
    const findInMap = node['Fn::FindInMap'];
    if (Array.isArray(findInMap)) {
      return {
        'Fn::FindInMap': findInMap.map((key) => {
          const name = isJsonObject(key) ? key['Ref'] : undefined;
          return typeof name === 'string' && parameters[name]?.['Type'] === 'Number'
            ? { 'Fn::Sub': `\${${name}}` }
            : rewrite(key);
        }),
      };
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, rewrite(value)]));
  };

  const compatible = JSON.parse(JSON.stringify(template)) as JsonObject;
  const copied = compatible['Resources'] as Record<string, JsonObject>;
  for (const resource of Object.values(copied)) {
    if (resource['Type'] === 'AWS::KMS::Key' && isJsonObject(resource['Properties']))
      delete resource['Properties']['Tags'];
  }
  compatible['Resources'] = rewrite(copied as JsonObject);
  return compatible;
}
