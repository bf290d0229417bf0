interface Frame {
  obj: boolean;
  /** The enclosing frame, and this one's member name or index in it (its path, worked out only for a duplicate). */
  parent: Frame | undefined;
  at: string | number;
  keys: Set<string>;
  key: string;
  expectKey: boolean;
  idx: number;
}

/** "spec.containers[0].env": the frame's path, as the strict decoder names fields. */
function pathOf(f: Frame | undefined): string {
  if (!f?.parent) return '';
  const up = pathOf(f.parent);
  if (typeof f.at === 'number') return `${up}[${f.at}]`;
  return up ? `${up}.${f.at}` : f.at;
}

/**
 * Field paths that occur twice in one JSON object of `text` ("spec.replicas"). JSON.parse keeps
 * the last silently; a real server's strict decoder reports them. One linear scan, no parsing
 * of values; `text` must already be valid JSON.
 */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92 /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 34) break;
        j++;
      }
      const top = stack[stack.length - 1];
      if (top?.obj && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) {
          const path = pathOf(top);
          out.push(path ? `${path}.${key}` : key);
        }
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const parent = stack[stack.length - 1];
      stack.push({ obj: c === 123, parent, at: parent ? (parent.obj ? parent.key : parent.idx) : '', keys: new Set(), key: '', expectKey: c === 123, idx: 0 });
    } else if (c === 125 /* } */ || c === 93 /* ] */) stack.pop();
    else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.obj) top.expectKey = true;
      else if (top) top.idx++;
    }
    i++;
  }
  return out;
}
