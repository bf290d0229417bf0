const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parse a resource.Quantity ("100m", "1.5", "128Mi", "1e3") into base units. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  const s = String(q ?? '').trim();
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(s);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return n * BINARY[suffix]!;
  if (suffix in DECIMAL) return n * DECIMAL[suffix]!;
  throw new Error(`unable to parse quantity's suffix ${suffix}`);
}

/** Format a quantity of `resource` the way kubectl shows it: cpu in cores or millicores, memory in binary units. */
export function formatQuantity(resource: string, value: number): string {
  if (resource.endsWith('cpu') || resource === 'cpu') {
    const milli = Math.round(value * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (resource.endsWith('memory') || resource.endsWith('storage')) {
    for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const size = BINARY[unit]!;
      if (value >= size && value % size === 0) return `${value / size}${unit}`;
    }
    return String(Math.round(value));
  }
  return String(Math.round(value));
}

const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXP: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const NANO = 10n ** 9n;

/** Thrown for a quantity a real server cannot parse (its message is apimachinery's). */
export class QuantityError extends Error {}

/**
 * The canonical form resource.Quantity serialises to (what a real server stores): the value is
 * rounded up to nano units; a binary-suffixed value of at least 1024 that is a whole number of
 * bytes keeps the largest exact 1024-power suffix (1024Mi → 1Gi), anything else is written with
 * the largest exact decimal suffix (0.5 → 500m, 1000m → 1, 010 → 10, 2000 → 2k); exponent
 * notation keeps an exponent that is a multiple of 3 (1e3 stays 1e3).
 */
export function canonicalQuantity(input: string | number): string {
  const s = typeof input === 'number' ? String(input) : input;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new QuantityError(QUANTITY_FORMAT);
  const negative = m[1] === '-';
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const suffix = m[4] ?? '';
  let format: 'decimal' | 'binary' | 'exponent';
  let exp10 = 0;
  let pow1024 = 0;
  if (suffix in DECIMAL_EXP) {
    format = 'decimal';
    exp10 = DECIMAL_EXP[suffix]!;
  } else if (suffix in BINARY_EXP) {
    format = 'binary';
    pow1024 = BINARY_EXP[suffix]!;
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = 'exponent';
    exp10 = Number(suffix.slice(1));
  } else throw new QuantityError("unable to parse quantity's suffix");
  // value = digits × 10^(exp10 − frac.length) × 1024^pow1024, kept exact as num/den.
  let num = BigInt(`${intPart}${frac}` || '0') * 1024n ** BigInt(pow1024);
  let den = 1n;
  const e = exp10 - frac.length;
  if (e >= 0) num *= 10n ** BigInt(e);
  else den = 10n ** BigInt(-e);
  // Round up (away from zero) to whole nano units.
  let nanos = (num * NANO) / den;
  if ((num * NANO) % den !== 0n) nanos += 1n;
  if (nanos === 0n) return '0';
  const sign = negative ? '-' : '';
  if (format === 'binary' && nanos >= 1024n * NANO && nanos % NANO === 0n) {
    let bytes = nanos / NANO;
    let p = 0;
    while (p < 6 && bytes % 1024n === 0n) {
      bytes /= 1024n;
      p++;
    }
    return `${sign}${bytes}${BINARY_SUFFIX[p]}`;
  }
  let n = nanos;
  let x = -9;
  while (x < 18 && n % 1000n === 0n) {
    n /= 1000n;
    x += 3;
  }
  if (format === 'exponent') return `${sign}${n}${x === 0 ? '' : `e${x}`}`;
  return `${sign}${n}${DECIMAL_SUFFIX[x]}`;
}

/**
 * A quantity in whole nano units, exactly (rounded up to a nano, as resource.Quantity stores it), so
 * that sums of requests kept incrementally (the scheduler's per-node totals) carry no float error.
 */
export function quantityNanos(q: unknown): bigint {
  const s = typeof q === 'number' ? String(q) : String(q ?? '').trim();
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([a-zA-Z]*[-+]?[0-9]*)$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new QuantityError(QUANTITY_FORMAT);
  const frac = m[3] ?? '';
  const suffix = m[4] ?? '';
  let exp10: number;
  let pow1024 = 0;
  if (suffix in DECIMAL_EXP) exp10 = DECIMAL_EXP[suffix]!;
  else if (suffix in BINARY_EXP) {
    exp10 = 0;
    pow1024 = BINARY_EXP[suffix]!;
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) exp10 = Number(suffix.slice(1));
  else throw new QuantityError("unable to parse quantity's suffix");
  let num = BigInt(`${m[2] ?? ''}${frac}` || '0') * 1024n ** BigInt(pow1024) * NANO;
  let den = 1n;
  const e = exp10 - frac.length;
  if (e >= 0) num *= 10n ** BigInt(e);
  else den = 10n ** BigInt(-e);
  let nanos = num / den;
  if (num % den !== 0n) nanos += 1n;
  return m[1] === '-' ? -nanos : nanos;
}
