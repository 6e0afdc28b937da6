import { expect } from 'chai';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { cli } from '../helpers.js';

describe('committed docs', () => {
  it('docs/, examples/ and the README blocks equal a fresh `cfn-cicd docs` (refresh with npm run docs)', async () => {
    const result = await cli([
      'docs',
      '--check',
      '--out',
      join(PACKAGE_ROOT, 'docs'),
      '--readme',
      join(PACKAGE_ROOT, 'README.md'),
      '--examples',
      join(PACKAGE_ROOT, 'examples'),
    ]);
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
  });
});
