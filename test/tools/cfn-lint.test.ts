import { expect } from 'chai';
import { join } from 'node:path';
import { loadYaml } from '../../src/render/yaml.js';
import { cfnLint, formatFinding } from '../../src/tools/cfn-lint.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { EMITTED_TEMPLATE_FILES } from '../../src/template.js';
import { readFileSync } from 'node:fs';
import { venvPython } from '../venv.js';

const fixture = (kind: 'good' | 'bad', name: string) => join(PACKAGE_ROOT, 'test', 'fixtures', kind, name);
const emitted = EMITTED_TEMPLATE_FILES.map((f) => join(PACKAGE_ROOT, 'templates', f));

describe('tools/cfn-lint (the pinned cfn-lint, run for real)', () => {
  for (const file of emitted) {
    it(`finds nothing in ${file.slice(PACKAGE_ROOT.length + 1)}, informational checks included`, async () => {
      expect((await cfnLint([file])).map(formatFinding)).to.deep.equal([]);
    });

    it(`${file.slice(PACKAGE_ROOT.length + 1)} loads with cfn-lint's own YAML loader to the object ours reads`, () => {
      const text = readFileSync(file, 'utf8');
      const theirs = venvPython<unknown>(
        'import sys, json\nfrom cfnlint.decode import cfn_yaml\nprint(json.dumps(cfn_yaml.loads(sys.stdin.read())))',
        text,
      );
      expect(theirs).to.deep.equal(loadYaml(text));
    });
  }

  it('reports the misspelt property in the bad fixture with its rule, line and column', async () => {
    const findings = await cfnLint([fixture('bad', 'unknown-property.yaml')]);
    expect(findings).to.have.length(1);
    expect(findings[0]).to.include({ rule: 'E3002', line: 7, column: 7 });
    expect(formatFinding(findings[0] as never)).to.match(/unknown-property\.yaml:7:7 E3002 .*BucketNam/);
  });

  it('reports nothing for the good fixture', async () => {
    expect(await cfnLint([fixture('good', 'minimal.yaml')])).to.deep.equal([]);
  });
});
