// Markdown pieces, written the way Prettier would print them, so `prettier --check` passes on docs/.

/** Plain text safe in a table cell: no HTML, no emphasis, no column break. */
export function text(value: string): string {
  return (
    value
      .replace(/[\\`*|[\]]/g, (c) => `\\${c}`)
      // An underscore inside a word (SERVICE_URL) never starts emphasis in CommonMark: Prettier leaves it bare.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\s*\n\s*/g, ' ')
  );
}

/**
 * An inline code span; inside a table cell a pipe still needs its backslash. As Prettier writes it:
 * the fence is the shortest run of backticks the text does not hold, padded by a space when the
 * text starts or ends with a backtick.
 */
export function code(value: string, inTable = true): string {
  const flat = value.replace(/\s*\n\s*/g, ' ');
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  const runs = new Set([...body.matchAll(/`+/g)].map((run) => run[0].length));
  let length = 1;
  while (runs.has(length)) length++;
  const fence = '`'.repeat(length);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Several values in one cell, one per line. */
export const lines = (values: readonly string[]): string => values.join('<br>');

/** A table with columns padded to equal width, as Prettier aligns them; every row has a cell per header. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i] as string))));
  const line = (cells: readonly string[]) => `| ${widths.map((w, i) => pad(cells[i] as string, w)).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

// Code points, not UTF-16 units: how Prettier measures a cell for the text we write.
const width = (s: string): number => [...s].length;
const pad = (s: string, w: number): string => s + ' '.repeat(w - width(s));

/** Joins blocks with one blank line, ending in a newline. */
export const blocks = (parts: readonly (string | undefined)[]): string =>
  `${parts.filter((p): p is string => p !== undefined && p !== '').join('\n\n')}\n`;
