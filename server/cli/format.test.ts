import { expect, it } from 'vitest';
import { csv, table } from './format.ts';

it('csv quotes commas, quotes and newlines, and defuses spreadsheet formulas', () => {
  const rows = [
    { a: 'plain', b: 'has, comma' },
    { a: 'say "hi"', b: 'two\nlines' },
    { a: '=HYPERLINK("x")', b: null },
  ];
  expect(csv(rows, ['a', 'b'])).toBe('a,b\nplain,"has, comma"\n"say ""hi""","two\nlines"\n"\'=HYPERLINK(""x"")",');
});

it('table aligns columns and says when there is nothing', () => {
  expect(
    table([
      { id: 'a', n: 1 },
      { id: 'bbb', n: 22 },
    ]),
  ).toBe('id   n\na    1\nbbb  22');
  expect(table([])).toBe('(none)');
});
