// The int8 dot-product kernel (dots.wat) and the WebAssembly memory it reads: a query slot, then
// the rows one after another, then the scratch the scores are written to. The rows start at a
// fixed offset, so growing the memory for more rows keeps them where they are.
import { dotsWasm } from './dotsWasm';

type Dots = (rows: number, query: number, n: number, d: number, out: number) => void;

// The few parts of Node's WebAssembly global used here (the server's type libraries leave it out).
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: Memory; dots: Dots } };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

const page = 65536;
let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available. */
function compiledModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new wasm.Module(Buffer.from(dotsWasm, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export class DotKernel {
  private readonly rowsAt: number;
  private capacity = 0;

  private constructor(
    private readonly memory: Memory,
    private readonly dots: Dots,
    private readonly d: number,
  ) {
    this.rowsAt = Math.ceil(d / 16) * 16;
  }

  /** A kernel for rows of `d` dimensions, or undefined where it cannot run (then callers scan in JavaScript). */
  static create(d: number): DotKernel | undefined {
    const m = d % 16 === 0 ? compiledModule() : null;
    if (!m) return undefined;
    const { exports } = new wasm.Instance(m);
    return new DotKernel(exports.memory, exports.dots, d);
  }

  /** Room for `capacity` rows; the returned view replaces any earlier one (their contents are kept). */
  reserve(capacity: number): Int8Array {
    const bytes = this.rowsAt + capacity * this.d + capacity * 4;
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / page));
    this.capacity = capacity;
    return new Int8Array(this.memory.buffer, this.rowsAt, capacity * this.d);
  }

  /** The dot products of the int8 `query` with the first `n` rows. */
  scores(query: Int8Array, n: number): Int32Array {
    new Int8Array(this.memory.buffer, 0, this.d).set(query);
    const out = this.rowsAt + this.capacity * this.d;
    this.dots(this.rowsAt, 0, n, this.d, out);
    return new Int32Array(this.memory.buffer, out, n);
  }
}
