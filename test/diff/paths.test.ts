import { expect } from 'chai';
import type { Json } from '../../src/model/json.js';
import { changedPaths } from '../../src/diff/paths.js';

describe('diff/paths: where two versions of a value differ', () => {
  const rows: [string, Json | undefined, Json | undefined, string[]][] = [
    ['nothing for equal values', { A: [1, { B: 2 }] }, { A: [1, { B: 2 }] }, []],
    ['a changed key, an added key, then a removed key', { A: 1, Gone: 2 }, { A: 3, New: 4 }, ['A', 'New', 'Gone']],
    ['list items by index when the length is the same', { L: ['a', 'b'] }, { L: ['a', 'c'] }, ['L[1]']],
    ['the whole list when its length changed', { L: ['a'] }, { L: ['a', 'b'] }, ['L']],
    ['an intrinsic as one value', { P: { 'Fn::Sub': 'a-${X}' } }, { P: { 'Fn::Sub': 'b-${X}' } }, ['P']],
    ['a map that became an intrinsic as one value', { P: { A: 1 } }, { P: { Ref: 'X' } }, ['P']],
    ['a !Condition reference as one value', { C: { Condition: 'A' } }, { C: { Condition: 'B' } }, ['C']],
    ['two scalars as the whole value', 1, 2, ['(whole value)']],
    [
      'nothing for maps that differ only in key order',
      { P: { A: 1, B: [{ C: 1, D: 2 }] } },
      { P: { B: [{ D: 2, C: 1 }], A: 1 } },
      [],
    ],
  ];
  for (const [what, before, after, expected] of rows) {
    it(`reports ${what}`, () => {
      expect(changedPaths(before, after)).to.deep.equal(expected);
    });
  }

  it('names paths under the prefix it is given', () => {
    expect(changedPaths({ Default: 1 }, { Default: 2 }, 'Parameters.A')).to.deep.equal(['Parameters.A.Default']);
  });
});
