/**
 * A bit-exact re-implementation of numpy's LEGACY `np.random.RandomState` (MT19937) for the
 * calls RLNAS makes: `seed(int)`, `randint`, `random_sample`/`rand`, `permutation`, `shuffle`,
 * `choice` and `standard_normal`, plus `get_state`/`set_state`.
 *
 * numpy's legacy seeding of an integer (`_legacy_seeding`) calls `mt19937_seed(state, seed)`,
 * i.e. Matsumoto–Nishimura `init_genrand` (verified against numpy 2.4: `RandomState(0)` state
 * starts `0, 1, 1812433255, ...`; `init_by_array` is only used for array/large seeds), and leaves
 * the position at 624 so the first draw regenerates the whole block.
 *
 * @module
 */

const _N = 624;
const _M = 397;
const _MATRIX_A = 0x9908b0df;
const _UPPER = 0x80000000;
const _LOWER = 0x7fffffff;
const _TWO32 = 4294967296;

/** JSON-serialisable snapshot of a {@link RandomState} (mirrors numpy's `get_state()` tuple). */
export interface RandomStateSnapshot {
  /** Always `"MT19937"`. */
  algorithm: "MT19937";
  /** The 624 state words (unsigned 32-bit integers). */
  key: number[];
  /** Position in the key, 0..624 (624 = the next draw regenerates the block). */
  pos: number;
  /** 1 when a Gaussian from the polar method is cached (numpy's `has_gauss`), else 0. */
  hasGauss: 0 | 1;
  /** The cached Gaussian (numpy's `cached_gaussian`), 0 when none. */
  cachedGaussian: number;
}

/** Options of {@link RandomState.choice}. */
export interface ChoiceOptions {
  /** Sample with replacement (numpy default `true`). */
  replace?: boolean;
  /** Probabilities of each entry (non-negative, summing to 1 within `sqrt(eps)`). */
  p?: ArrayLike<number>;
}

/** Smallest `2^k - 1 >= max` for `0 <= max < 2^32`. */
function _mask32(max: number): number {
  let m = max >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

function _checkSize(size: number, what: string): void {
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`${what}: size must be a non-negative integer, got ${size}`);
  }
}

/** `cdf.searchsorted(x, side='right')`: the number of entries of `cdf` that are `<= x`. */
function _searchRight(cdf: Float64Array, x: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * numpy's legacy `RandomState` (Mersenne Twister MT19937), bit-exact for the supported methods.
 *
 * @example
 * ```ts
 * const rs = new RandomState(0);
 * rs.randint(0, 10, 5); // Int32Array [5, 0, 3, 3, 7], like np.random.RandomState(0).randint(0, 10, 5)
 * ```
 */
export class RandomState {
  #key = new Uint32Array(_N);
  #pos = _N;
  #hasGauss = false;
  #gauss = 0;

  /** Seed like `np.random.RandomState(seed)`; `seed` is an integer in `[0, 2**32 - 1]`. */
  constructor(seed: number) {
    this.seed(seed);
  }

  /** Re-seed like `np.random.seed(seed)` (MT19937 `init_genrand`; clears the cached Gaussian). */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(
        `RandomState seed must be an integer in [0, 4294967295], got ${seed}`,
      );
    }
    const mt = this.#key;
    mt[0] = seed >>> 0;
    for (let i = 1; i < _N; i++) {
      const prev = mt[i - 1];
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.#pos = _N;
    this.#hasGauss = false;
    this.#gauss = 0;
  }

  #reload(): void {
    const mt = this.#key;
    let kk = 0;
    let y: number;
    for (; kk < _N - _M; kk++) {
      y = (mt[kk] & _UPPER) | (mt[kk + 1] & _LOWER);
      mt[kk] = mt[kk + _M] ^ (y >>> 1) ^ (y & 1 ? _MATRIX_A : 0);
    }
    for (; kk < _N - 1; kk++) {
      y = (mt[kk] & _UPPER) | (mt[kk + 1] & _LOWER);
      mt[kk] = mt[kk + (_M - _N)] ^ (y >>> 1) ^ (y & 1 ? _MATRIX_A : 0);
    }
    y = (mt[_N - 1] & _UPPER) | (mt[0] & _LOWER);
    mt[_N - 1] = mt[_M - 1] ^ (y >>> 1) ^ (y & 1 ? _MATRIX_A : 0);
    this.#pos = 0;
  }

  /** The next raw 32-bit output (numpy's `mt19937_next32`), as an unsigned integer. */
  nextUint32(): number {
    if (this.#pos >= _N) this.#reload();
    let y = this.#key[this.#pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** One double in `[0, 1)` with 53 random bits (numpy's `mt19937_next_double`). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** `size` doubles in `[0, 1)`: `np.random.RandomState.rand(size)` / `random_sample(size)`. */
  rand(size: number): Float64Array {
    _checkSize(size, "rand");
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.random();
    return out;
  }

  /**
   * Legacy `random_interval(max)`: a uniform integer in `[0, max]` by masked rejection over
   * 32-bit draws. `max` must be an integer in `[0, 2**32 - 1]` (numpy switches to 64-bit draws
   * above that, which this class does not support).
   */
  randomInterval(max: number): number {
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) {
      throw new RangeError(`randomInterval: max must be an integer in [0, 4294967295], got ${max}`);
    }
    if (max === 0) return 0;
    const mask = _mask32(max);
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /**
   * `size` integers in `[low, high)`, bit-exact with numpy's legacy
   * `RandomState.randint(low, high, size)` (default dtype int64, masked rejection sampling:
   * range `r = high - low - 1`, mask = smallest `2^k - 1 >= r`, 32-bit draws, reject `> r`).
   * `low` and `high` must be integers with `-2**31 <= low < high <= 2**31`.
   */
  randint(low: number, high: number, size: number): Int32Array {
    if (!Number.isInteger(low) || !Number.isInteger(high)) {
      throw new RangeError(`randint: low and high must be integers, got ${low}, ${high}`);
    }
    if (low >= high) throw new RangeError(`randint: low >= high (low=${low}, high=${high})`);
    if (low < -2147483648 || high > 2147483648) {
      throw new RangeError(
        `randint: bounds must lie in [-2147483648, 2147483648], got [${low}, ${high})`,
      );
    }
    _checkSize(size, "randint");
    const out = new Int32Array(size);
    const rng = high - low - 1;
    if (rng === 0) {
      out.fill(low);
      return out;
    }
    if (rng === 0xffffffff) {
      for (let i = 0; i < size; i++) out[i] = low + this.nextUint32();
      return out;
    }
    const mask = _mask32(rng);
    for (let i = 0; i < size; i++) {
      let v: number;
      do {
        v = (this.nextUint32() & mask) >>> 0;
      } while (v > rng);
      out[i] = low + v;
    }
    return out;
  }

  /**
   * Shuffle `array` in place like legacy `RandomState.shuffle` on a 1-d array (Fisher–Yates from
   * the end: for `i = n-1 .. 1`, swap `i` with `j = randomInterval(i)`). Returns `array`.
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i >= 1; i--) {
      const j = this.randomInterval(i);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** `np.random.RandomState.permutation(n)`: a shuffled `0..n-1` (`n` a non-negative integer). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new RangeError(`permutation: n must be a non-negative int32, got ${n}`);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * Indices drawn like legacy `RandomState.choice(a, size, replace, p)` where `a` is the population
   * size (pick `values[idx]` yourself for an array population). Supported: with replacement
   * (uniform = `randint(0, a, size)`; weighted = CDF + `searchsorted(side='right')`), and without
   * replacement (uniform = `permutation(a)[:size]`; weighted = numpy's repeated-draw loop).
   */
  choice(a: number, size: number, options: ChoiceOptions = {}): Int32Array {
    if (!Number.isInteger(a) || a <= 0 || a > 0x7fffffff) {
      throw new RangeError(`choice: a must be a positive integer population size, got ${a}`);
    }
    _checkSize(size, "choice");
    const replace = options.replace ?? true;
    const p = options.p === undefined ? undefined : this.#checkP(options.p, a);
    if (replace) {
      if (p === undefined) return this.randint(0, a, size);
      const cdf = this.#cdf(p);
      const u = this.rand(size);
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = _searchRight(cdf, u[i]);
      return out;
    }
    if (size > a) {
      throw new RangeError(
        `choice: cannot take a larger sample (${size}) than population (${a}) when replace=false`,
      );
    }
    if (p === undefined) return this.permutation(a).slice(0, size);
    let nonzero = 0;
    for (let i = 0; i < a; i++) if (p[i] > 0) nonzero++;
    if (nonzero < size) {
      throw new RangeError(`choice: fewer non-zero entries in p (${nonzero}) than size (${size})`);
    }
    const w = Float64Array.from(p);
    const found = new Int32Array(size);
    let nUniq = 0;
    while (nUniq < size) {
      const x = this.rand(size - nUniq);
      for (let i = 0; i < nUniq; i++) w[found[i]] = 0;
      const cdf = this.#cdf(w);
      // np.unique(new, return_index=True) then sort the first-occurrence indices: keep the first
      // occurrence of each value, in draw order.
      const seen = new Set<number>();
      for (let i = 0; i < x.length; i++) {
        const v = _searchRight(cdf, x[i]);
        if (!seen.has(v)) {
          seen.add(v);
          found[nUniq++] = v;
        }
      }
    }
    return found;
  }

  #checkP(p: ArrayLike<number>, a: number): Float64Array {
    if (p.length !== a) {
      throw new RangeError(`choice: p has length ${p.length}, must match population size ${a}`);
    }
    let sum = 0;
    for (let i = 0; i < a; i++) {
      if (!(p[i] >= 0)) throw new RangeError(`choice: probabilities must be >= 0, got ${p[i]}`);
      sum += p[i];
    }
    if (Math.abs(sum - 1) > Math.sqrt(Number.EPSILON)) {
      throw new RangeError(`choice: probabilities do not sum to 1 (sum ${sum})`);
    }
    return Float64Array.from(p);
  }

  /** `cdf = p.cumsum(); cdf /= cdf[-1]` as numpy does it (sequential sum). */
  #cdf(p: Float64Array): Float64Array {
    const cdf = new Float64Array(p.length);
    let s = 0;
    for (let i = 0; i < p.length; i++) cdf[i] = s += p[i];
    const last = cdf[cdf.length - 1];
    for (let i = 0; i < cdf.length; i++) cdf[i] /= last;
    return cdf;
  }

  /**
   * `size` standard normals like legacy `RandomState.standard_normal(size)` (Marsaglia polar
   * method with one cached value). The draws are bit-exact; the values match numpy to within the
   * last-bit accuracy of `Math.log` (glibc's `log` may differ by one ulp).
   */
  standardNormal(size: number): Float64Array {
    _checkSize(size, "standardNormal");
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.#gaussian();
    return out;
  }

  #gaussian(): number {
    if (this.#hasGauss) {
      const t = this.#gauss;
      this.#hasGauss = false;
      this.#gauss = 0;
      return t;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2.0 * this.random() - 1.0;
      x2 = 2.0 * this.random() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt(-2.0 * Math.log(r2) / r2);
    this.#gauss = f * x1;
    this.#hasGauss = true;
    return f * x2;
  }

  /** A JSON-serialisable copy of the full generator state (like numpy's `get_state()`). */
  getState(): RandomStateSnapshot {
    return {
      algorithm: "MT19937",
      key: Array.from(this.#key),
      pos: this.#pos,
      hasGauss: this.#hasGauss ? 1 : 0,
      cachedGaussian: this.#gauss,
    };
  }

  /** Restore a state from {@link getState} (or from numpy's `get_state()` fields). */
  setState(state: RandomStateSnapshot): void {
    if (state === null || typeof state !== "object") {
      throw new TypeError(`setState: expected a RandomStateSnapshot object, got ${state}`);
    }
    if (state.algorithm !== "MT19937") {
      throw new RangeError(`setState: algorithm must be "MT19937", got ${state.algorithm}`);
    }
    if (!Array.isArray(state.key) || state.key.length !== _N) {
      throw new RangeError(
        `setState: key must be an array of ${_N} uint32 words, got length ${state.key?.length}`,
      );
    }
    for (const w of state.key) {
      if (!Number.isInteger(w) || w < 0 || w >= _TWO32) {
        throw new RangeError(`setState: key word ${w} is not a uint32`);
      }
    }
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > _N) {
      throw new RangeError(`setState: pos must be an integer in [0, ${_N}], got ${state.pos}`);
    }
    if (state.hasGauss !== 0 && state.hasGauss !== 1) {
      throw new RangeError(`setState: hasGauss must be 0 or 1, got ${state.hasGauss}`);
    }
    if (typeof state.cachedGaussian !== "number" || !Number.isFinite(state.cachedGaussian)) {
      throw new RangeError(
        `setState: cachedGaussian must be a finite number, got ${state.cachedGaussian}`,
      );
    }
    this.#key.set(state.key);
    this.#pos = state.pos;
    this.#hasGauss = state.hasGauss === 1;
    this.#gauss = state.hasGauss === 1 ? state.cachedGaussian : 0;
  }

  /** An independent generator with the same state. */
  clone(): RandomState {
    const c = new RandomState(0);
    c.setState(this.getState());
    return c;
  }
}
