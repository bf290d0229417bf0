// Helpers for the deployment tests: render kustomizations with the real kubectl, parse the YAML,
// and validate objects against the Kubernetes OpenAPI schema (kubernetes-models).
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const K8S = join(ROOT, 'k8s');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl (never through a shell); resolves with the exit code instead of throwing. */
export function kubectl(args: string[], input?: string, timeoutMs = 60_000): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

export function kubectlAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('kubectl', ['version', '--client'], (err) => resolve(!err)));
}

/** `kubectl kustomize DIR` (offline), as YAML text. */
export async function renderYaml(dir: string): Promise<string> {
  const out = await kubectl(['kustomize', join(K8S, dir)]);
  if (out.code !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${out.stderr}`);
  return out.stdout;
}

export function parseYaml(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('; '));
      return doc.toJS() as Obj | null;
    })
    .filter((o): o is Obj => o !== null);
}

export async function render(dir: string): Promise<Obj[]> {
  return parseYaml(await renderYaml(dir));
}

export function find(objs: Obj[], kind: string, name?: string): Obj[] {
  return objs.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

export function one(objs: Obj[], kind: string, name: string): Obj {
  const found = find(objs, kind, name);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}/${name}, found ${found.length}`);
  return found[0];
}

/** kubernetes-models module for an apiVersion: "v1" -> kubernetes-models/v1, "apps/v1" -> kubernetes-models/apps/v1. */
async function modelClass(apiVersion: string, kind: string): Promise<(new (data: Obj) => { validate(): void }) | undefined> {
  const mod = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, unknown>;
  return mod[kind] as (new (data: Obj) => { validate(): void }) | undefined;
}

/** Schema errors for one object ([] when valid); unknown apiVersion/kind is an error too. */
export async function schemaErrors(obj: Obj): Promise<string[]> {
  let Model;
  try {
    Model = await modelClass(String(obj.apiVersion), String(obj.kind));
  } catch {
    Model = undefined;
  }
  if (!Model) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
  // kustomize wraps long base64 values over several lines; the API server's decoder (Go's
  // encoding/base64) skips newlines, the validator's regular expression does not.
  const data = obj.kind === 'Secret' ? 'data' : obj.kind === 'ConfigMap' ? 'binaryData' : undefined;
  if (data && obj[data]) {
    obj = { ...obj, [data]: Object.fromEntries(Object.entries(obj[data] as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')])) };
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message: string }[] }).errors;
    return details?.length ? details.map((d) => `${d.instancePath} ${d.message}`) : [String(error)];
  }
}

export function label(obj: Obj): string {
  return `${obj.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`;
}

export function podSpec(obj: Obj): Obj | undefined {
  if (obj.kind === 'Deployment' || obj.kind === 'Job' || obj.kind === 'StatefulSet' || obj.kind === 'DaemonSet') return obj.spec?.template?.spec;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec;
  if (obj.kind === 'Pod') return obj.spec;
  return undefined;
}

export function containersOf(spec: Obj): Obj[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Does a label selector's matchLabels select these labels? (matchExpressions are not used here.) */
export function selects(selector: Obj | undefined, labels: Obj | undefined): boolean {
  if (!selector) return false;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions not supported by this helper');
  const want = (selector.matchLabels ?? selector) as Record<string, string>;
  return Object.entries(want).every(([k, v]) => labels?.[k] === v);
}

export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}
