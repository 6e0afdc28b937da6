// The template object the builders produce, before rendering.
import type { ResourceBase } from 'cloudform-types/types/resource.js';
import type { Named } from '../intrinsics.js';

/** A resource with its logical ID: what a builder adds and what `ref()` / `getAtt()` point at. */
export interface Part<R extends ResourceBase = ResourceBase> extends Named {
  readonly id: string;
  readonly resource: R;
}

export const part = <R extends ResourceBase>(id: string, resource: R): Part<R> => ({ id, resource });

/** A template output. */
export interface Output {
  readonly Description: string;
  readonly Value: unknown;
  readonly Condition?: string;
}

/** A template parameter as CloudFormation declares it. */
export interface ParameterDefinition {
  /** AWS-specific types: CloudFormation checks the value exists in the account and region. */
  readonly Type: 'String' | 'Number' | 'AWS::EC2::VPC::Id' | 'List<AWS::EC2::Subnet::Id>';
  readonly Description: string;
  readonly Default?: string | number;
  readonly AllowedPattern?: string;
  readonly AllowedValues?: readonly (string | number)[];
  readonly ConstraintDescription: string;
  readonly MinLength?: number;
  readonly MaxLength?: number;
  readonly MinValue?: number;
  readonly MaxValue?: number;
  readonly NoEcho?: boolean;
}

/** The whole template, section by section. */
export interface Template {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Metadata?: Record<string, unknown>;
  readonly Parameters?: Record<string, ParameterDefinition>;
  readonly Rules?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, string | number>>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, ResourceBase>;
  readonly Outputs?: Record<string, Output>;
}

/** Resources keyed by logical ID, in the order given; a repeated ID is a programming error. */
export function resources(parts: readonly Part[]): Record<string, ResourceBase> {
  const out: Record<string, ResourceBase> = {};
  for (const p of parts) {
    if (p.id in out) throw new Error(`duplicate logical ID ${p.id}`);
    out[p.id] = p.resource;
  }
  return out;
}
