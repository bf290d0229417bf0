// Summarises a V8 CPU profile (the .cpuprofile format of node:inspector and `node --cpu-prof`):
// self time per function and per package, and inclusive time per package and per Berth function
// (each sample counted once per stack, so recursion does not inflate it). Used by bench/profile.ts.

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface Share {
  name: string;
  where: string;
  pct: number;
}

export interface ProfileSummary {
  busyPct: number;
  idlePct: number;
  gcPct: number;
  byFunction: Share[];
  byPackage: Share[];
  inclusive: Share[];
}

const NOT_BUSY = new Set(['(idle)', '(program)', '(root)']);

/** Where a frame's code comes from: an npm package, Node itself, Berth's own folders, or V8. */
export function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (url.startsWith('wasm://')) return 'wasm (Prisma query compiler)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (core)';
  const src = /\/dist\/(src|bench)\/(.*)$/.exec(url);
  if (src) {
    const parts = src[2]!.split('/');
    return `berth ${src[1]}/${parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0]}`;
  }
  return url;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url;
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Sample counts per node (samples[] when present: hitCount is not filled by every producer).
  const hits = new Map<number, number>();
  if (profile.samples?.length) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of profile.nodes) hits.set(n.id, n.hitCount ?? 0);
  let total = 0;
  let idle = 0;
  let gc = 0;
  const fnSelf = new Map<string, { name: string; where: string; n: number }>();
  const pkgSelf = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += count;
    if (NOT_BUSY.has(functionName)) {
      idle += count;
      continue;
    }
    if (functionName === '(garbage collector)') gc += count;
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const f = fnSelf.get(key) ?? { name, where, n: 0 };
    f.n += count;
    fnSelf.set(key, f);
    const pkg = packageOf(url, functionName);
    pkgSelf.set(pkg, (pkgSelf.get(pkg) ?? 0) + count);
    // Inclusive: every package and every Berth function on this stack, once each.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const p = packageOf(frame.url, frame.functionName);
      if (!p.startsWith('(')) seen.add(`package ${p}`);
      if (p.startsWith('berth src/') && frame.functionName) seen.add(`${frame.functionName} (${shortUrl(frame.url)})`);
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + count);
  }
  const busy = Math.max(1, total - idle);
  const pct = (n: number) => (100 * n) / busy;
  return {
    busyPct: (100 * (total - idle)) / Math.max(1, total),
    idlePct: (100 * idle) / Math.max(1, total),
    gcPct: pct(gc),
    byFunction: [...fnSelf.values()].sort((a, b) => b.n - a.n).slice(0, top).map((f) => ({ name: f.name, where: f.where, pct: pct(f.n) })),
    byPackage: [...pkgSelf].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, where: '', pct: pct(n) })),
    inclusive: [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, n]) => ({ name, where: '', pct: pct(n) })),
  };
}
