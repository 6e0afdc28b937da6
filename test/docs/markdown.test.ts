import { expect } from 'chai';
import * as prettier from 'prettier';
import { blocks, code, lines, table, text } from '../../src/docs/markdown.js';

describe('docs/markdown: pieces written the way Prettier prints them', () => {
  it('escapes what Markdown would read as markup or a column break', () => {
    expect(text('a|b *c* _d_ [e] `f` <g>\n  h\\')).to.equal('a\\|b \\*c\\* \\_d\\_ \\[e\\] \\`f\\` &lt;g&gt; h\\\\');
    // Inside a word an underscore is literal already, as Prettier prints it.
    expect(text('SERVICE_URL and _x and y_')).to.equal('SERVICE_URL and \\_x and y\\_');
  });

  const spans: [string, string, boolean, string][] = [
    ['plain text in one backtick each side', 'arn:aws:s3:::b/*', true, '`arn:aws:s3:::b/*`'],
    ['a pipe escaped inside a table', 'a|b', true, '`a\\|b`'],
    ['a pipe kept outside a table', 'a|b', false, '`a|b`'],
    ['a line break as a space', 'echo a\n  && echo b', true, '`echo a && echo b`'],
    ['a backtick inside: the shortest fence it does not hold', 'a `b` c', true, '``a `b` c``'],
    ['a run of three backticks inside single backticks', 'a ``` b', true, '`a ``` b`'],
    ['a backtick at the end, padded so it is not read as the fence', 'echo `date`', true, '`` echo `date` ``'],
    ['a backtick at the start, padded', '`x', true, '`` `x ``'],
  ];
  for (const [what, value, inTable, expected] of spans) {
    it(`writes code spans: ${what}`, () => {
      expect(code(value, inTable)).to.equal(expected);
    });
  }

  it('writes tables Prettier leaves as they are, code spans with backticks included', async () => {
    const markdown = `${table(
      ['Value', 'Note'],
      spans.filter(([, , inTable]) => inTable).map(([, value]) => [code(value), 'ok']),
    )}\n`;
    expect(await prettier.check(markdown, { parser: 'markdown', printWidth: 120 })).to.equal(true);
  });

  it('pads table columns to the widest cell, counting code points', () => {
    expect(
      table(
        ['A', 'Wide header'],
        [
          ['ééé', 'x'],
          ['b', lines(['1', '2'])],
        ],
      ),
    ).to.equal(
      ['| A   | Wide header |', '| --- | ----------- |', '| ééé | x           |', '| b   | 1<br>2      |'].join('\n'),
    );
  });

  it('joins blocks with one blank line, dropping empty ones, and ends in a newline', () => {
    expect(blocks(['# T', undefined, '', 'body'])).to.equal('# T\n\nbody\n');
  });
});
