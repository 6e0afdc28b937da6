import { expect } from 'chai';
import yaml from 'js-yaml';
import type { JsonObject } from '../../src/model/json.js';
import { loadYaml, normalize, renderYaml, SECTION_ORDER } from '../../src/render/yaml.js';
import {
  cidr,
  getAtt,
  getAZs,
  ifCondition,
  importValue,
  join,
  ref,
  select,
  split,
  sub,
  base64,
  findInMap,
  equals,
  and,
  or,
  not,
  condition,
} from '../../src/intrinsics.js';
import { pipelineTemplate } from '../../src/template.js';

const wrap = (value: unknown) => ({ Resources: { R: { Type: 'AWS::SNS::Topic', Properties: { P: value } } } });
const renderedProperty = (value: unknown): string => {
  const text = renderYaml(wrap(value));
  const line = text.split('\n').find((l) => l.trimStart().startsWith('P:'));
  return (line ?? '').trim();
};

describe('render/yaml', () => {
  describe('short-form tags', () => {
    const rows: [string, unknown, string][] = [
      ['Ref', ref('Bucket'), 'P: !Ref Bucket'],
      ['GetAtt as Name.Attr', getAtt('Bucket', 'Arn'), 'P: !GetAtt Bucket.Arn'],
      ['Sub without variables', sub('cicd-${AWS::Region}'), 'P: !Sub cicd-${AWS::Region}'],
      ['Sub with variables', sub('${A}', { A: ref('X') }), 'P: !Sub'],
      ['Join', join('-', ['a', 'b']), 'P: !Join'],
      ['Select', select(0, getAZs()), 'P: !Select'],
      ['Split', split(',', ref('List')), 'P: !Split'],
      ['If', ifCondition('C', 'a', 'b'), 'P: !If'],
      ['Equals', equals('a', 'b'), 'P: !Equals'],
      ['And', and(condition('A'), condition('B')), 'P: !And'],
      ['Or', or(condition('A'), condition('B')), 'P: !Or'],
      ['Not', not(condition('A')), 'P: !Not'],
      ['FindInMap', findInMap('M', 'a', 'b'), 'P: !FindInMap'],
      ['GetAZs', getAZs(), "P: !GetAZs ''"],
      ['ImportValue', importValue('Exported'), 'P: !ImportValue Exported'],
      ['Base64', base64('text'), 'P: !Base64 text'],
      ['Cidr', cidr('10.0.0.0/16', 2, 8), 'P: !Cidr'],
    ];
    for (const [name, value, expected] of rows) {
      it(`writes ${name} as ${expected}`, () => {
        expect(renderedProperty(value)).to.equal(expected);
      });
      it(`reads ${name} back to its long form`, () => {
        const plain = normalize(wrap(value));
        expect(loadYaml(renderYaml(wrap(value)))).to.deep.equal(plain);
      });
    }

    it('writes !Condition only inside condition functions', () => {
      const text = renderYaml(wrap({ Fn: not(condition('HasEmail')), Plain: { Condition: 'NotATag' } }));
      expect(text).to.include('- !Condition HasEmail');
      expect(text).to.include('Condition: NotATag');
    });

    const nested: [string, unknown, string][] = [
      ['Base64 of a Sub', base64(sub('echo ${AWS::Region}')), 'Fn::Base64: !Sub echo ${AWS::Region}'],
      ['GetAZs of a Ref', getAZs(ref('AWS::Region')), 'Fn::GetAZs: !Ref AWS::Region'],
      ['ImportValue of a Sub', importValue(sub('${Env}-vpc')), 'Fn::ImportValue: !Sub ${Env}-vpc'],
    ];
    for (const [name, value, expected] of nested) {
      it(`writes ${name} with the outer function's long key, one tag per node`, () => {
        const text = renderYaml(wrap(value));
        expect(text).to.include(`P:\n        ${expected}\n`);
        expect(loadYaml(text)).to.deep.equal(normalize(wrap(value)));
      });
    }

    it('keeps a GetAtt whose attribute has a dot as one scalar', () => {
      const value = getAtt('Db', 'Endpoint.Address');
      expect(renderedProperty(value)).to.equal('P: !GetAtt Db.Endpoint.Address');
      expect(loadYaml(renderYaml(wrap(value)))).to.deep.equal(normalize(wrap(value)));
    });

    it('leaves no trailing space after a tag that opens a block', () => {
      const text = renderYaml(wrap(ifCondition('C', ref('A'), ref('B'))));
      expect(text.split('\n').filter((l) => / $/.test(l))).to.deep.equal([]);
    });
  });

  describe('layout', () => {
    it('orders sections as CloudFormation documents them, whatever the input order', () => {
      const text = renderYaml({
        Outputs: { O: { Value: 'x' } },
        Resources: {},
        Description: 'd',
        AWSTemplateFormatVersion: '2010-09-09',
        Parameters: {},
      });
      const keys = Object.keys(yaml.load(text) as object);
      expect(keys).to.deep.equal(SECTION_ORDER.filter((s) => keys.includes(s)));
      expect(keys[0]).to.equal('AWSTemplateFormatVersion');
    });

    it('orders resource attributes Type, Condition, DependsOn, DeletionPolicy, UpdateReplacePolicy, Metadata, Properties', () => {
      const text = renderYaml({
        Resources: {
          R: {
            Properties: {},
            Metadata: {},
            UpdateReplacePolicy: 'Retain',
            DeletionPolicy: 'Retain',
            DependsOn: 'X',
            Condition: 'C',
            Type: 'AWS::SNS::Topic',
          },
        },
      });
      const r = (loadYaml(text)['Resources'] as JsonObject)['R'] as JsonObject;
      expect(Object.keys(r)).to.deep.equal([
        'Type',
        'Condition',
        'DependsOn',
        'DeletionPolicy',
        'UpdateReplacePolicy',
        'Metadata',
        'Properties',
      ]);
    });

    it('writes multi-line strings as literal block scalars, never folded or escaped', () => {
      const script =
        'phases:\n  build:\n    commands:\n      - echo "a very long line that would be folded at eighty columns by a default YAML dumper, which we must not do"\n';
      const text = renderYaml(wrap(sub(script)));
      expect(text).to.include('P: !Sub |');
      expect(text).to.not.include('\\n');
      expect(text).to.include(
        'a very long line that would be folded at eighty columns by a default YAML dumper, which we must not do"\n',
      );
    });

    it('writes no anchors or aliases even when one object is used twice', () => {
      const shared = { Key: 'k', Value: 'v' };
      const text = renderYaml({
        Resources: {
          A: { Type: 'T', Properties: { Tags: [shared] } },
          B: { Type: 'T', Properties: { Tags: [shared] } },
        },
      });
      expect(text).to.not.match(/[&*]id\d/);
      expect(text.match(/Key: k/g)).to.have.length(2);
    });

    it('runs toJSON and drops undefined properties before writing', () => {
      const text = renderYaml(wrap({ A: undefined, B: ref('X') }));
      expect(text).to.not.include('A:');
      expect(text).to.include('B: !Ref X');
    });
  });

  describe('the pipeline template', () => {
    it('reads back to exactly the object that was rendered', () => {
      const template = pipelineTemplate();
      expect(loadYaml(renderYaml(template))).to.deep.equal(normalize(template));
    });

    it('renders byte-identically twice', () => {
      expect(renderYaml(pipelineTemplate())).to.equal(renderYaml(pipelineTemplate()));
    });
  });

  it('reads a tag with nothing after it as an empty argument, as CloudFormation does (!GetAZs for this region)', () => {
    expect(loadYaml('AZs: !GetAZs\nNone: !Ref\n')).to.deep.equal({ AZs: { 'Fn::GetAZs': '' }, None: { Ref: '' } });
  });

  it('refuses a document that is not a mapping', () => {
    expect(() => loadYaml('- a\n- b\n')).to.throw(/mapping/);
  });
});
