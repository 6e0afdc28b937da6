import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/tools/locate.js';
import { emittedTemplates } from './helpers.js';

describe('golden templates', () => {
  for (const { file, yaml } of emittedTemplates()) {
    it(`templates/${file} equals a fresh build byte for byte (refresh with npm run build)`, () => {
      expect(readFileSync(join(PACKAGE_ROOT, 'templates', file), 'utf8')).to.equal(yaml);
    });
  }
});
