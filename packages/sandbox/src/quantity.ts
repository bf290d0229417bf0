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
