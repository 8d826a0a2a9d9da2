import { Ring } from './ring.js';
import { Rng } from './rng.js';

/** The ring's contents read by index. */
function contents<T>(r: Ring<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < r.length; i++) out.push(r.at(i));
  return out;
}

describe('Ring', () => {
  it.each([
    {
      name: 'inserts at the front, middle and back',
      ops: [
        [0, 1],
        [1, 2],
        [1, 3],
        [0, 4],
      ],
      want: [4, 1, 3, 2],
    },
    {
      name: 'inserts past its first capacity',
      ops: Array.from({ length: 20 }, (_, i) => [i, i]),
      want: [...Array(20).keys()],
    },
  ])('$name', ({ ops, want }) => {
    const r = new Ring<number>();
    for (const [p, x] of ops) r.insertAt(p as number, x as number);
    expect(contents(r)).toEqual(want);
  });

  it('moves the first item far back and a late one far forward, as an array would', () => {
    const r = new Ring<number>();
    for (let i = 0; i < 10; i++) r.push(i);
    r.move(0, 8);
    expect(contents(r)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 9]);
    r.move(9, 0);
    expect(contents(r)).toEqual([9, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
  });

  it('agrees with an array under random inserts, removals, moves and sorts', () => {
    const rng = new Rng(11);
    const r = new Ring<number>();
    const model: number[] = [];
    for (let step = 0; step < 5000; step++) {
      const op = rng.int(10);
      if (op < 4 || model.length === 0) {
        const p = rng.int(model.length + 1);
        r.insertAt(p, step);
        model.splice(p, 0, step);
      } else if (op < 7) {
        const i = rng.int(model.length);
        expect(r.removeAt(i)).toBe(model.splice(i, 1)[0]);
      } else if (op < 9) {
        const i = rng.int(model.length);
        const p = rng.int(model.length);
        r.move(i, p);
        model.splice(p, 0, ...model.splice(i, 1));
      } else {
        r.sort((a, b) => (a % 7) - (b % 7) || a - b);
        model.sort((a, b) => (a % 7) - (b % 7) || a - b);
      }
      expect(r.length).toBe(model.length);
    }
    expect(contents(r)).toEqual(model);
    expect(r.indexOf(model[3] as number)).toBe(3);
    expect(r.indexOf(-1)).toBe(-1);
  });
});
