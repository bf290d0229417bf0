// Resource quantities in Kubernetes' canonical form. The API server stores `1000m` as `1` and
// `1024Mi` as `1Gi`; rendering the canonical form means a resync comparing rendered objects with
// live ones (drift.ts, value by value) does not see a difference that is only notation.

const DECIMAL_SUFFIXES: Record<number, string> = { [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function requireCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}

/** Milli-CPU as a canonical quantity: 250 → "250m", 2000 → "2", 0 → "0". */
export function cpuQuantity(millis: number): string {
  requireCount(millis, 'cpu millis');
  if (millis === 0) return '0';
  let mantissa = millis;
  let exponent = -3;
  while (mantissa % 1000 === 0 && exponent < 18) {
    mantissa /= 1000;
    exponent += 3;
  }
  return `${mantissa}${DECIMAL_SUFFIXES[exponent]}`;
}

/** MiB as a canonical binary quantity: 512 → "512Mi", 2048 → "2Gi", 0 → "0". */
export function memoryQuantity(mib: number): string {
  requireCount(mib, 'memory MiB');
  if (mib === 0) return '0';
  let mantissa = mib;
  let suffix = 0;
  while (mantissa % 1024 === 0 && suffix < BINARY_SUFFIXES.length - 1) {
    mantissa /= 1024;
    suffix += 1;
  }
  return `${mantissa}${BINARY_SUFFIXES[suffix]}`;
}
