/**
 * Pulls up to `depth` items of `source` ahead of the consumer, so a slow consumer (a page written
 * to the mirror) and a paced producer (a page asked of Stripe) overlap instead of taking turns.
 * Items come out in order; a failure comes out in its place, after the items before it.
 *
 * An async generator queues the `next()` calls it receives and runs them one after the other, so
 * the source still produces one item at a time. A consumer that stops early should stop the
 * source too (an abort signal), or the requests already asked for finish unread.
 */
export async function* readAhead<T>(source: AsyncIterator<T>, depth: number): AsyncGenerator<T> {
  const ahead: Array<Promise<IteratorResult<T>>> = [];
  const pull = () => {
    const next = source.next();
    // Rethrown in its turn below; this only keeps a failure that is never read from going unhandled.
    next.catch(() => {});
    ahead.push(next);
  };
  for (let i = 0; i < depth; i++) pull();
  for (;;) {
    const result = await ahead.shift()!;
    if (result.done) return;
    pull();
    yield result.value;
  }
}
