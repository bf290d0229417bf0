/**
 * Field paths as small integers. A path is FieldsV1 segments from the root ("f:spec",
 * "k:{...}", "v:..."); each distinct path gets an id in one table, holding its parent's id and
 * its last segment, so a path one field below another costs a Map lookup, not a new string.
 * Field sets are then sets of integers: walking an object into one allocates little, and a set
 * kept between writes holds no strings (#15: the path strings of the managed-fields walk were
 * its main cost and a third of the sandbox's garbage).
 *
 * The table only grows (paths holding a uid or an IP are one object's own), so it is emptied once
 * it holds `limit` paths; ids from before mean nothing then. Only the managed-fields entry points
 * empty it (pathTableFull, then resetPathTable), before any id of theirs exists, together with
 * every cache of ids.
 */
export type PathId = number;

/** The root: the empty path, parent of the top-level fields. */
export const ROOT: PathId = 0;
const SEP = '\n';

let parents: number[] = [];
let segments: string[] = [];
let depths: number[] = [];
/** The top-level field each path is under (itself at depth 1). */
let heads: number[] = [];
/** Children by field name (segment "f:<name>"), and by any other segment. */
let fieldKids: (Map<string, number> | undefined)[] = [];
let otherKids: (Map<string, number> | undefined)[] = [];
let texts: (string | undefined)[] = [];
let limit = 100_000;

function init(): void {
  parents = [-1];
  segments = [''];
  depths = [0];
  heads = [-1];
  fieldKids = [undefined];
  otherKids = [undefined];
  texts = [''];
}
init();

function add(parent: PathId, segment: string): PathId {
  const id = parents.length;
  parents.push(parent);
  segments.push(segment);
  depths.push(depths[parent]! + 1);
  heads.push(parent === ROOT ? id : heads[parent]!);
  fieldKids.push(undefined);
  otherKids.push(undefined);
  texts.push(undefined);
  return id;
}

/** The path one field below `parent` ("f:<name>"). */
export function fieldChild(parent: PathId, name: string): PathId {
  let kids = fieldKids[parent];
  if (!kids) fieldKids[parent] = kids = new Map();
  let id = kids.get(name);
  if (id === undefined) {
    id = add(parent, `f:${name}`);
    kids.set(name, id);
  }
  return id;
}

/** The path one segment below `parent`. */
export function childPath(parent: PathId, segment: string): PathId {
  if (segment.startsWith('f:')) return fieldChild(parent, segment.slice(2));
  let kids = otherKids[parent];
  if (!kids) otherKids[parent] = kids = new Map();
  let id = kids.get(segment);
  if (id === undefined) {
    id = add(parent, segment);
    kids.set(segment, id);
  }
  return id;
}

/** The id of a path written as its segments joined by "\n". */
export function pathId(text: string): PathId {
  let id = ROOT;
  for (const segment of text.split(SEP)) id = childPath(id, segment);
  return id;
}

/** The path's segments joined by "\n" (the FieldsV1 keys from the root). */
export function pathText(id: PathId): string {
  let t = texts[id];
  if (t === undefined) {
    const parent = parents[id]!;
    t = parent === ROOT ? segments[id]! : `${pathText(parent)}${SEP}${segments[id]!}`;
    texts[id] = t;
  }
  return t;
}

export function parentOf(id: PathId): PathId {
  return parents[id]!;
}

export function segmentOf(id: PathId): string {
  return segments[id]!;
}

export function headOf(id: PathId): PathId {
  return heads[id]!;
}

/** The segments from the root down to the path. */
export function segmentsOf(id: PathId): string[] {
  const out: string[] = [];
  for (let p = id; p !== ROOT; p = parents[p]!) out.push(segments[p]!);
  return out.reverse();
}

/** Is `ancestor` the path itself or above it? */
export function isUnder(id: PathId, ancestor: PathId): boolean {
  const d = depths[ancestor]!;
  let p = id;
  while (depths[p]! > d) p = parents[p]!;
  return p === ancestor;
}

export function pathTableFull(): boolean {
  return parents.length >= limit;
}

/** Forget every path (see above: only where no id is held). */
export function resetPathTable(): void {
  init();
  for (const fn of resetListeners) fn();
}

const resetListeners: (() => void)[] = [];

/** Caches of ids register here to be emptied with the table. */
export function onPathTableReset(fn: () => void): void {
  resetListeners.push(fn);
}

/** For tests: a small table, to see it emptied. Returns the limit before. */
export function setPathTableLimit(n: number): number {
  const before = limit;
  limit = n;
  return before;
}
