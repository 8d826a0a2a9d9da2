import { fromRanges, parsePortRange, PortBook, toRanges } from './ports.js';

describe('ports', () => {
  it('reads a range, writes and reads Mesos ranges', () => {
    expect(parsePortRange('31000-32000')).toEqual({ begin: 31000, end: 32000 });
    expect(parsePortRange('8080')).toEqual({ begin: 8080, end: 8080 });
    expect(parsePortRange('2-1')).toBeUndefined();
    expect(parsePortRange('0-10')).toBeUndefined();
    expect(parsePortRange('1-70000')).toBeUndefined();
    expect(toRanges([5, 3, 4, 9, 9])).toEqual([
      { begin: 3, end: 5 },
      { begin: 9, end: 9 },
    ]);
    expect(fromRanges([{ begin: 3, end: 5 }], 64)).toEqual([3, 4, 5]);
    expect(fromRanges([{ begin: 1, end: 100 }], 64)).toBeUndefined();
    expect(fromRanges([{ begin: 5, end: 3 }], 64)).toBeUndefined();
  });

  it('offers an agent’s ports once at a time, keeps those of live tasks, and frees them when tasks end', () => {
    const book = new PortBook({ begin: 1, end: 5 });
    expect(book.offer('o1', 'a')).toEqual([1, 2, 3, 4, 5]);
    // Another offer on the same agent meanwhile names none of them; another agent is apart.
    expect(book.offer('o2', 'a')).toEqual([]);
    expect(book.offer('o3', 'b')).toEqual([1, 2, 3, 4, 5]);
    expect(book.inOffer('o1', [2, 3])).toBe(true);
    expect(book.inOffer('o2', [2])).toBe(false);
    book.take('a', [2, 3]);
    book.release('o1');
    book.release('o2');
    expect(book.offer('o4', 'a')).toEqual([1, 4, 5]);
    book.release('o4');
    book.free('a', [2]);
    expect(book.offer('o5', 'a')).toEqual([1, 2, 4, 5]);
    expect(new PortBook(undefined).offer('o', 'a')).toEqual([]);
  });
});
