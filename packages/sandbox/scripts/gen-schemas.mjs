// Generates src/schema/definitions.json: the Kubernetes API type definitions (field names, types,
// required fields, descriptions, group-version-kinds) for the groups the sandbox serves, in
// OpenAPI v3 schema form. Source: the TypeScript declarations of the kubernetes-models packages
// (generated upstream from the Kubernetes OpenAPI documents). Run: npm run schemas -w @berth/sandbox
// (an optional argument writes elsewhere; a test checks the committed file is current).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ts = require('typescript');
const modelsRoot = dirname(require.resolve('kubernetes-models/package.json'));
const machineryRoot = dirname(require.resolve('@kubernetes-models/apimachinery/package.json'));

const GROUPS = new Set(['v1', 'apps', 'autoscaling', 'batch', 'policy', 'networking.k8s.io', 'events.k8s.io', 'discovery.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'rbac.authorization.k8s.io', 'coordination.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'node.k8s.io']);

function walk(dir, out = []) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      if (e !== '_schemas' && e !== 'node_modules') walk(p, out);
    } else if (e.endsWith('.d.ts') && e !== 'index.d.ts') out.push(p);
  }
  return out;
}

function dottedName(file) {
  const base = file.slice(0, -'.d.ts'.length);
  if (base.startsWith(machineryRoot)) return `io.k8s.apimachinery.pkg.${relative(machineryRoot, base).split(sep).join('.')}`;
  const parts = relative(modelsRoot, base).split(sep);
  if (parts[0] === 'v1') return `io.k8s.api.core.v1.${parts[1]}`;
  if (parts.length !== 3 || !GROUPS.has(parts[0])) return undefined;
  return `io.k8s.api.${parts[0].split('.')[0]}.${parts[1]}.${parts[2]}`;
}

const files = [...walk(modelsRoot), ...walk(machineryRoot)];
/** alias identifier (IIoK8s...) → dotted definition name */
const aliasName = new Map();
const parsed = [];
for (const f of files) {
  const name = dottedName(f);
  if (!name) continue;
  const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
  parsed.push({ name, sf });
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (el.name.text.startsWith('IIoK8s')) aliasName.set(el.name.text, name);
    }
  }
}

function docOf(node) {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((d) => (typeof d.comment === 'string' ? d.comment : (d.comment ?? []).map((c) => c.text).join(''))).join('\n');
  return text.trim() || undefined;
}

function schemaOfType(t, local) {
  if (!t) return {};
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'integer' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return {};
  }
  if (ts.isParenthesizedTypeNode(t)) return schemaOfType(t.type, local);
  if (ts.isArrayTypeNode(t)) return { type: 'array', items: schemaOfType(t.elementType, local) };
  if (ts.isLiteralTypeNode(t)) return { type: typeof (t.literal.text) === 'string' ? 'string' : 'integer' };
  if (ts.isTypeReferenceNode(t)) {
    const id = t.typeName.getText();
    if ((id === 'Array' || id === 'ReadonlyArray') && t.typeArguments) return { type: 'array', items: schemaOfType(t.typeArguments[0], local) };
    const target = aliasName.get(id) ?? local.get(id);
    if (target) return { $ref: target };
    return {};
  }
  if (ts.isTypeLiteralNode(t)) {
    const idx = t.members.find(ts.isIndexSignatureDeclaration);
    if (idx) return { type: 'object', additionalProperties: schemaOfType(idx.type, local) };
    return { type: 'object' };
  }
  if (ts.isUnionTypeNode(t)) {
    const kinds = t.types.map((x) => schemaOfType(x, local));
    const nonNull = kinds.filter((k) => Object.keys(k).length);
    if (nonNull.length === 1) return nonNull[0];
    const types = new Set(nonNull.map((k) => k.type));
    if (types.size === 1) return nonNull[0];
    return {};
  }
  return {};
}

const defs = {};
for (const { name, sf } of parsed) {
  const local = new Map();
  for (const st of sf.statements) {
    if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text.startsWith('I')) local.set(st.name.text, name);
  }
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) && st.name.text.startsWith('I') && aliasName.get(`I${st.name.text}`) === undefined) {
      // the main interface is exported as IIoK8s<...>; pick it by its export alias
    }
    if (ts.isInterfaceDeclaration(st) && st.name.text.startsWith('I')) {
      const def = { type: 'object' };
      const d = docOf(st);
      if (d) def.description = d;
      const props = {};
      const required = [];
      let apiVersion;
      let kind;
      for (const m of st.members) {
        if (!ts.isPropertySignature(m)) continue;
        const key = m.name.text ?? m.name.getText();
        const s = schemaOfType(m.type, local);
        if (key === 'apiVersion' && m.type && ts.isLiteralTypeNode(m.type)) apiVersion = m.type.literal.text;
        if (key === 'kind' && m.type && ts.isLiteralTypeNode(m.type)) kind = m.type.literal.text;
        const pd = docOf(m);
        props[key] = pd ? (s.$ref ? { allOf: [s], description: pd } : { ...s, description: pd }) : s;
        if (!m.questionToken) required.push(key);
      }
      const extendsTypeMeta = (st.heritageClauses ?? []).some((h) => h.getText().includes('TypeMeta'));
      if (extendsTypeMeta) {
        for (const k of ['apiVersion', 'kind']) if (!props[k]) props[k] = { type: 'string' };
      }
      if (Object.keys(props).length) def.properties = props;
      else def['x-kubernetes-preserve-unknown-fields'] = true;
      const req = required.filter((k) => k !== 'apiVersion' && k !== 'kind');
      if (req.length) def.required = req;
      if (apiVersion && kind) {
        const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
        def['x-kubernetes-group-version-kind'] = [{ group: g, kind, version: v }];
      }
      defs[name] = def;
    } else if (ts.isTypeAliasDeclaration(st) && st.name.text.startsWith('I') && !defs[name]) {
      const s = schemaOfType(st.type, local);
      const d = docOf(st);
      if (name.endsWith('resource.Quantity')) defs[name] = { type: 'string', format: 'quantity', ...(d ? { description: d } : {}) };
      else if (name.endsWith('intstr.IntOrString')) defs[name] = { type: 'string', format: 'int-or-string', ...(d ? { description: d } : {}) };
      else if (name.endsWith('.Time') || name.endsWith('.MicroTime')) defs[name] = { type: 'string', format: 'date-time', ...(d ? { description: d } : {}) };
      else defs[name] = { ...s, ...(d ? { description: d } : {}) };
    }
  }
}

// Keep only definitions reachable from the served groups' kinds (plus meta types).
const keep = new Set();
const visit = (n) => {
  if (keep.has(n) || !defs[n]) return;
  keep.add(n);
  JSON.stringify(defs[n], (k, v) => {
    if (k === '$ref') visit(v);
    return v;
  });
};
for (const [n, d] of Object.entries(defs)) if (d['x-kubernetes-group-version-kind'] && !n.startsWith('io.k8s.apimachinery')) visit(n);
for (const n of ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']) visit(n);
const out = {};
for (const n of [...keep].sort()) out[n] = defs[n];
const target = process.argv[2] ?? join(here, '..', 'src', 'schema', 'definitions.json');
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`${Object.keys(out).length} definitions → ${relative(process.cwd(), target)}`);
