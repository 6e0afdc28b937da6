// The one table of resource types: every type a template emits has a row, and the rows agree with
// what the code reading them expects.
import { expect } from 'chai';
import { resourceType, RESOURCE_TYPES } from '../../src/cfn/types.js';
import { CLUSTERS } from '../../src/docs/clusters.js';
import { emittedTemplates } from '../helpers.js';

describe('cfn/types: the table of resource types', () => {
  const emitted = emittedTemplates();

  for (const { file, template } of emitted) {
    it(`has a row for every type ${file} emits`, () => {
      const types = [...new Set(Object.values(template.Resources).map((r) => r.Type))];
      expect(
        types.filter((t) => !(t in RESOURCE_TYPES)),
        'types without a row in src/cfn/types.ts',
      ).to.deep.equal([]);
    });
  }

  it('refuses, naming it, a type without a row', () => {
    expect(() => resourceType('AWS::Example::Unlisted')).to.throw(
      /no row for AWS::Example::Unlisted in RESOURCE_TYPES/,
    );
  });

  it('names a known diagram cluster and a name property the emitted resources really set', () => {
    for (const [type, row] of Object.entries(RESOURCE_TYPES)) {
      expect(Object.keys(CLUSTERS), type).to.include(row.cluster);
    }
    for (const { template } of emitted) {
      for (const [id, r] of Object.entries(template.Resources)) {
        const property = RESOURCE_TYPES[r.Type]?.nameProperty;
        if (property !== undefined && r.Type !== 'AWS::EC2::SecurityGroup') {
          expect(r.Properties?.[property], `${id}.${property}`).to.not.equal(undefined);
        }
      }
    }
  });

  it('writes each return form as an ARN or name with one {} for the physical name', () => {
    for (const [type, row] of Object.entries(RESOURCE_TYPES)) {
      for (const [attribute, form] of Object.entries(row.returns ?? {})) {
        expect(form.split('{}').length - 1, `${type} ${attribute}`).to.equal(1);
      }
    }
  });
});
