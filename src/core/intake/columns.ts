/** Growing columns of a file's values, for intake tables that hold a million rows without an object per row. */

/**
 * How large a column grows when full: straight to the file's line count while the file has no error (a good file
 * then allocates each column twice at most, not a dozen times), by doubling once it has one (a garbage file is rejected
 * anyway, and should not cost memory for a million rows nobody will import).
 */
export type Growth = (length: number) => number;

/** Rows a column holds before it first grows. */
const FIRST_CAPACITY = 4096;

/** A growing column of 32-bit integers. */
export class IntColumn {
  data: Int32Array;
  length = 0;

  constructor(private readonly grow: Growth) {
    this.data = new Int32Array(FIRST_CAPACITY);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.grow(this.length));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The values, in an array of exactly their length. */
  done(): Int32Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}

/** A growing column of values, grown in steps (no garbage from growing a large array one element at a time). */
export class Column<T> {
  data: T[];
  length = 0;

  constructor(private readonly grow: Growth) {
    this.data = new Array<T>(FIRST_CAPACITY);
  }

  push(value: T): void {
    if (this.length === this.data.length) {
      const grown = new Array<T>(this.grow(this.length));
      for (let i = 0; i < this.length; i++) grown[i] = this.data[i];
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  done(): T[] {
    this.data.length = this.length;
    return this.data;
  }
}
