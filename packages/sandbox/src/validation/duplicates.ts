interface Frame {
  obj: boolean;
  path: string;
  keys: Set<string>;
  key: string;
  expectKey: boolean;
  idx: number;
}

function child(top: Frame | undefined): string {
  if (!top) return '';
  if (top.obj) return top.path ? `${top.path}.${top.key}` : top.key;
  return `${top.path}[${top.idx}]`;
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
        if (top.keys.has(key)) out.push(top.path ? `${top.path}.${key}` : key);
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      stack.push({ obj: c === 123, path: child(stack[stack.length - 1]), keys: new Set(), key: '', expectKey: c === 123, idx: 0 });
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
