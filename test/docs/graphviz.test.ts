import { expect } from 'chai';
import { renderSvg } from '../../src/docs/graphviz.js';
import { ToolError } from '../../src/errors.js';

/** The error renderSvg rejects with (the test fails when it resolves). */
async function failure(dot: string): Promise<Error> {
  return renderSvg(dot).then(
    () => expect.fail(`rendered ${JSON.stringify(dot)}`),
    (error: Error) => error,
  );
}

describe('docs/graphviz: DOT to SVG with Graphviz in WebAssembly', () => {
  it('renders a graph to one SVG document ending in a single newline', async () => {
    const svg = await renderSvg('digraph { a -> b }');
    expect(svg).to.match(/<svg[\s\S]*<\/svg>\n$/);
    expect(svg).to.include('<title>a&#45;&gt;b</title>');
  });

  it('reports DOT that Graphviz refuses as a tool error with Graphviz’s own message, on one line', async () => {
    const error = await failure('digraph { a -> }');
    expect(error).to.be.instanceOf(ToolError);
    expect(error.message).to.match(
      /^Graphviz \(WebAssembly\) could not render the diagram: syntax error in line 1[^\n]*$/,
    );
  });

  it('says so when Graphviz fails without a message (no graph at all)', async () => {
    expect((await failure('')).message).to.equal('Graphviz (WebAssembly) could not render the diagram: no output');
  });
});
