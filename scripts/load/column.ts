// Growable typed arrays: a sample costs its 8, 4 or 1 bytes and no object, so ten million samples stay
// within a few hundred megabytes and never reach the garbage collector's per-object bookkeeping.

const INITIAL = 4096;

type Typed = Float64Array | Int32Array | Uint8Array;

/** Doubling while small, then +50 %: amortised O(1) pushes without reserving twice the memory of a huge run. */
function nextCapacity(current: number): number {
  return current < 1 << 20 ? current * 2 : Math.ceil(current * 1.5);
}

/**
 * `capacity`: how many values to make room for at once (the planned iterations, say). Room not yet
 * written costs no memory (a fresh typed array's pages are only touched when written), and a column
 * that never grows is never copied.
 */
abstract class Column<T extends Typed> {
  #data: T;
  #length = 0;

  constructor(
    private readonly make: (n: number) => T,
    capacity = INITIAL,
  ) {
    this.#data = make(Math.max(INITIAL, Math.ceil(capacity)));
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = this.make(nextCapacity(this.#data.length));
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  /** A live view (no copy) of the pushed values; sorting it sorts the column. */
  view(): T {
    return this.#data.subarray(0, this.#length) as T;
  }
}

export class Float64Column extends Column<Float64Array> {
  constructor(capacity?: number) {
    super((n) => new Float64Array(n), capacity);
  }
}

/** Whole milliseconds relative to a base: ±24 days. */
export class Int32Column extends Column<Int32Array> {
  constructor(capacity?: number) {
    super((n) => new Int32Array(n), capacity);
  }
}

export class Uint8Column extends Column<Uint8Array> {
  constructor(capacity?: number) {
    super((n) => new Uint8Array(n), capacity);
  }
}
