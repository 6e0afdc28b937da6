import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAll } from '../src/commands/build.js';
import { PACKAGE_ROOT } from '../src/tools/locate.js';
import { SHIPPED_VARIANTS } from './helpers.js';

describe('golden files', () => {
  for (const { dir, config } of SHIPPED_VARIANTS) {
    for (const [file, text] of renderAll(config)) {
      it(`${join(dir, file)} equals a fresh build byte for byte (refresh with npm run build)`, () => {
        expect(readFileSync(join(PACKAGE_ROOT, dir, file), 'utf8')).to.equal(text);
      });
    }
  }
});
