/**
 * `items` in arrays of `size` (the last may be shorter), taken as they come: for iterables
 * too long to hold. With `weigh`, a batch also ends once its items weigh `maxWeight` or more.
 */
export function* batches<T>(
  items: Iterable<T>,
  size: number,
  weigh?: (item: T) => number,
  maxWeight = Number.POSITIVE_INFINITY,
): Generator<T[]> {
  let batch: T[] = [];
  let weight = 0;
  for (const item of items) {
    batch.push(item);
    weight += weigh ? weigh(item) : 0;
    if (batch.length === size || weight >= maxWeight) {
      yield batch;
      batch = [];
      weight = 0;
    }
  }
  if (batch.length) yield batch;
}
