import { LineBuffer } from './lines.js';

function split(chunks: string[]): { lines: string[]; pending: string } {
  const buffer = new LineBuffer();
  const lines: string[] = [];
  for (const c of chunks) buffer.push(c, (l) => lines.push(l));
  return { lines, pending: buffer.pending };
}

describe('LineBuffer', () => {
  it('gives each line once, whichever chunks split it', () => {
    const text = '{"a":1}\n{"b":"two"}\n{"c":[3]}\n';
    const whole = split([text]).lines;
    expect(whole).toEqual(['{"a":1}', '{"b":"two"}', '{"c":[3]}']);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        expect(split([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual({
          lines: whole,
          pending: '',
        });
      }
    }
  });

  it('keeps a line that has not ended, and skips empty lines', () => {
    expect(split(['x\n\n\ny', 'z'])).toEqual({ lines: ['x'], pending: 'yz' });
    expect(split(['', '\n', 'q\n'])).toEqual({ lines: ['q'], pending: '' });
  });
});
