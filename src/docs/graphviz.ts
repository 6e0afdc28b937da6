// DOT → SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no system binary, and the same
// bytes on every machine for the pinned package version, so `docs --check` compares SVGs exactly.
import { ToolError } from '../errors.js';

/**
 * Renders `dot` to SVG. Edges are concentrated (the many light edges into the key merge into
 * trunks); Graphviz can fail on that with clusters, so the plain layout is the fallback.
 */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const concentrated = viz.render(dot, { format: 'svg', graphAttributes: { concentrate: true } });
  const result = concentrated.status === 'success' ? concentrated : viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => e.message.trim()).join('; ');
    throw new ToolError(`Graphviz (WebAssembly) could not render the diagram: ${messages || 'no output'}`);
  }
  return result.output.replace(/\s*$/, '\n');
}
