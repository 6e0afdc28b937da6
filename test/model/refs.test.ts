import { expect } from 'chai';
import type { Json } from '../../src/model/json.js';
import { getAttReference, referencesIn, splitDotted, subVariables } from '../../src/model/refs.js';

const shown = (refs: { target: string; attribute?: string }[]) =>
  refs.map((r) => (r.attribute ? `${r.target}.${r.attribute}` : r.target));

describe('model/refs: where a template points at its own logical IDs', () => {
  const rows: [string, Json, string[]][] = [
    ['!Ref', { Ref: 'Bucket' }, ['Bucket']],
    [
      '!GetAtt list and dotted forms',
      [{ 'Fn::GetAtt': ['Role', 'Arn'] }, { 'Fn::GetAtt': 'Key.Arn' }],
      ['Role.Arn', 'Key.Arn'],
    ],
    [
      '${X} and ${X.Attr} in !Sub',
      { 'Fn::Sub': '${Bucket.Arn}/${AWS::Region}/${Env}' },
      ['Bucket.Arn', 'AWS::Region', 'Env'],
    ],
    ['a literal ${!X} is no reference', { 'Fn::Sub': 'echo ${!HOME} ${Topic}' }, ['Topic']],
    [
      '!Sub variables shadow, their values count',
      { 'Fn::Sub': ['${Name}-${Other}', { Name: { Ref: 'Project' } }] },
      ['Other', 'Project'],
    ],
    ['a !Sub list without a variable map', { 'Fn::Sub': ['${Only}'] }, ['Only']],
    [
      'references nested under other functions',
      { 'Fn::Join': ['', [{ Ref: 'A' }, { 'Fn::GetAtt': ['B', 'Arn'] }]] },
      ['A', 'B.Arn'],
    ],
    ['nothing in a !GetAtt that is neither a list of two names nor "X.Attr"', { 'Fn::GetAtt': [1, 'Arn'] }, []],
    ['nothing in a !Ref to a non-name', { Ref: ['Bucket'] }, []],
    ['nothing in plain values', { Name: 'x', Count: 3, List: ['a', null] }, []],
  ];
  for (const [what, node, expected] of rows) {
    it(`finds ${what}`, () => {
      expect(shown(referencesIn(node))).to.deep.equal(expected);
    });
  }

  it('reads the dotted form at the first dot: the attribute may itself hold dots', () => {
    expect(splitDotted('Service.Endpoint.Address')).to.deep.equal({ target: 'Service', attribute: 'Endpoint.Address' });
    expect(splitDotted('Bucket')).to.deep.equal({ target: 'Bucket' });
  });

  it('reads a !GetAtt payload only in its two valid forms', () => {
    expect(getAttReference(['Role', 'Arn'])).to.deep.equal({ target: 'Role', attribute: 'Arn' });
    expect(getAttReference('Role.Arn')).to.deep.equal({ target: 'Role', attribute: 'Arn' });
    for (const bad of [['Role'], ['Role', { Ref: 'Attr' }], 7, undefined] as (Json | undefined)[]) {
      expect(getAttReference(bad), JSON.stringify(bad)).to.equal(undefined);
    }
  });

  it('lists the variables of a !Sub text minus its own map, trimmed', () => {
    expect(shown(subVariables('${ A }/${B.Arn}/${C}', { C: 'x' }))).to.deep.equal(['A', 'B.Arn']);
  });
});
