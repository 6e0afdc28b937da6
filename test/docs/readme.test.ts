import { expect } from 'chai';
import {
  architectureBlock,
  parametersReadmeBlock,
  toolsReadmeBlock,
  withArchitectureBlock,
  withParametersBlock,
  withToolsBlock,
} from '../../src/docs/readme.js';
import { CODEBUILD_TARGETS, PINNED_TOOLS } from '../../src/resources/tool-pins.js';

describe('docs/readme: the README’s generated blocks', () => {
  const parameters = parametersReadmeBlock('| table |', 'cicd-pipeline.yaml', 'docs/reference.md');
  const architecture = architectureBlock('flowchart LR', 'cicd-pipeline.yaml', 'docs/architecture.svg');

  it('replaces only what lies between the markers', () => {
    const readme = `# Title\n\nIntro.\n\n${parametersReadmeBlock('| old |', 'x.yaml', 'r.md')}\n\n## After\n\nKept.\n`;
    const updated = withParametersBlock(readme, parameters);
    expect(updated).to.equal(`# Title\n\nIntro.\n\n${parameters}\n\n## After\n\nKept.\n`);
    expect(withParametersBlock(updated, parameters)).to.equal(updated);
  });

  it('appends the block under its own heading when the markers are missing', () => {
    expect(withArchitectureBlock('# Title\n\nIntro.\n\n', architecture)).to.equal(
      `# Title\n\nIntro.\n\n## Architecture\n\n${architecture}\n`,
    );
    expect(withParametersBlock('# Title\n', parameters)).to.equal(`# Title\n\n## Parameters\n\n${parameters}\n`);
  });

  it('appends rather than cut when only the end marker is there', () => {
    const end = parameters.split('\n').at(-1) as string;
    const readme = `# Title\n\n${end}\n`;
    expect(withParametersBlock(readme, parameters)).to.equal(`${readme.trimEnd()}\n\n## Parameters\n\n${parameters}\n`);
  });

  it('writes the Mermaid source in a fenced block between the markers', () => {
    expect(architecture).to.match(
      /^<!-- architecture:start -->\n[\s\S]*\n```mermaid\nflowchart LR\n```\n\n<!-- architecture:end -->$/,
    );
  });

  it('lists every pinned package with the hashes of the wheels CodeBuild may install, and no other', () => {
    const block = toolsReadmeBlock(PINNED_TOOLS);
    for (const p of PINNED_TOOLS.flatMap((t) => t.packages)) {
      expect(block).to.include(`\`${p.name}==${p.version}\``);
      for (const w of p.wheels) {
        expect(block.includes(w.sha256.slice(0, 16)), `${p.name} ${w.target}`).to.equal(
          CODEBUILD_TARGETS.includes(w.target),
        );
      }
    }
    expect(withToolsBlock('# Title\n', block)).to.equal(`# Title\n\n## Pinned tools\n\n${block}\n`);
  });
});
