/**
 * Runs at most `concurrency` calls of `fn` at once; the others wait in the order they came.
 * For bursts of independent writes whose callers each wait on their own result: with all of
 * them in flight at once, the API server interleaves them and the first caller's answer comes
 * about as late as the last one's.
 */
export function limited<A extends unknown[], R>(
  concurrency: number,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (...args: A): Promise<R> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn(...args);
    } finally {
      // The slot passes to the next waiter as is (running unchanged), or is freed.
      if (waiting.length > 0) waiting.shift()?.();
      else running--;
    }
  };
}
