// One template's builders serving two templates: what the resources and outputs reach is kept.
import { expect } from 'chai';
import { usedBy, usedEntries, usedGroups, usedRules } from '../../src/cfn/prune.js';
import type { ParameterGroup } from '../../src/parameters/spec.js';

const spec = (name: string) => ({
  name,
  label: name,
  definition: { Type: 'String' as const, Description: name, ConstraintDescription: 'any' },
});

describe('cfn/prune (parameters, conditions, mappings and rules a template uses)', () => {
  const conditions = {
    IsBig: { 'Fn::Equals': [{ Ref: 'Size' }, 'big'] },
    IsBigAndShared: { 'Fn::And': [{ Condition: 'IsBig' }, { 'Fn::Equals': [{ Ref: 'Shared' }, 'yes'] }] },
    Unused: { 'Fn::Equals': [{ Ref: 'Orphan' }, 'x'] },
  };
  const resources = {
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: { 'Fn::Sub': 'b-${Name}-${AWS::Region}' },
        Tags: [{ Key: 'tier', Value: { 'Fn::FindInMap': ['Tiers', { Ref: 'Size' }, 'Tag'] } }],
      },
    },
    Topic: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: { 'Fn::If': ['IsBigAndShared', 'big', { Ref: 'AWS::NoValue' }] } },
    },
  };
  const outputs = { Url: { Value: { 'Fn::Sub': ['${Host}/x', { Host: { Ref: 'Domain' } }] } } };
  const used = usedBy(resources, outputs, conditions);

  it('follows Ref, Sub variables, Sub maps and the conditions resources and Fn::If name, to their parameters', () => {
    expect([...used.parameters].filter((p) => !p.startsWith('AWS::')).sort()).to.deep.equal([
      'Domain',
      'Name',
      'Shared',
      'Size',
    ]);
    expect([...used.conditions].sort()).to.deep.equal(['IsBig', 'IsBigAndShared']);
    expect([...used.mappings]).to.deep.equal(['Tiers']);
  });

  it('keeps the used entries and groups, dropping a group left empty', () => {
    const groups: ParameterGroup[] = [
      { label: 'A', parameters: [spec('Name'), spec('Orphan')] },
      { label: 'B', parameters: [spec('Orphan2')] },
      { label: 'C', parameters: [spec('Size'), spec('Shared'), spec('Domain')] },
    ];
    expect(usedGroups(groups, used).map((g) => [g.label, g.parameters.map((p) => p.name)])).to.deep.equal([
      ['A', ['Name']],
      ['C', ['Size', 'Shared', 'Domain']],
    ]);
    expect(Object.keys(usedEntries(conditions, used.conditions))).to.deep.equal(['IsBig', 'IsBigAndShared']);
  });

  it('keeps a rule only while every parameter it reads is still declared', () => {
    const rules = {
      SizeNeedsName: {
        RuleCondition: { 'Fn::Equals': [{ Ref: 'Size' }, 'big'] },
        Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Name' }, ''] }] } }],
      },
      OrphanRule: { Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'Orphan' }, 'x'] } }] },
      RegionRule: { Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'Size' }] } }] },
    };
    expect(Object.keys(usedRules(rules, used))).to.deep.equal(['SizeNeedsName', 'RegionRule']);
  });
});
