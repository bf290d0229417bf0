import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, invalid, methodNotAllowed } from './errors.js';
import { sendJson } from './http-util.js';
import type { Registry } from './registry.js';
import { R, type ResourceDef } from './resources.js';
import { asMap, isMap, type JsonMap } from './types.js';

/**
 * The create-only APIs that answer rather than store: TokenRequest (serviceaccounts/<sa>/token,
 * `kubectl create token`), SelfSubjectReview (`kubectl auth whoami`), SelfSubjectAccessReview and
 * SelfSubjectRulesReview (`kubectl auth can-i [--list]`) and TokenReview.
 *
 * Identity: the kubeconfig's user (the sandbox token, or no token when none is configured) is
 * `sandbox-admin` in groups system:masters and system:authenticated; a bearer token minted here
 * is its service account. There is no RBAC: every identity is allowed every request, and the
 * access reviews say so with the reason the real cluster-admin binding gives.
 */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

const ADMIN: UserInfo = { username: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] };
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const ALLOWED_REASON = 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"';

const b64url = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

/** Signs and checks the service-account tokens of one sandbox (HS256 with a per-process key). */
export class TokenIssuer {
  private readonly key = randomBytes(32);

  mint(claims: JsonMap): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', kid: 'sandbox', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    const sig = createHmac('sha256', this.key).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }

  /** The claims of a valid, unexpired token minted here, else undefined. */
  verify(token: string): JsonMap | undefined {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return undefined;
    const want = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    const got = Buffer.from(sig, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as JsonMap;
    if (typeof claims['exp'] === 'number' && claims['exp'] * 1000 < Date.now()) return undefined;
    return claims;
  }

  userOf(token: string | undefined): UserInfo | undefined {
    const claims = token ? this.verify(token) : undefined;
    if (!claims) return undefined;
    const k = asMap(claims['kubernetes.io']);
    const ns = String(k['namespace'] ?? '');
    const sa = asMap(k['serviceaccount']);
    return {
      username: String(claims['sub']),
      uid: String(sa['uid'] ?? ''),
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${String(claims['jti'])}`] },
    };
  }
}

const issuers = new WeakMap<Registry, TokenIssuer>();
/** One issuer per cluster (keyed by its registry), so tokens of one sandbox mean nothing to another. */
export function issuerFor(reg: Registry): TokenIssuer {
  let i = issuers.get(reg);
  if (!i) {
    i = new TokenIssuer();
    issuers.set(reg, i);
  }
  return i;
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice('Bearer '.length) : undefined;
}

function review(res: ResourceDef, body: unknown): JsonMap {
  if (!isMap(body)) throw badRequest('the request body must be a JSON or YAML object');
  if (body['kind'] !== undefined && body['kind'] !== res.kind) throw badRequest(`the kind in the data (${String(body['kind'])}) does not match the expected kind (${res.kind})`);
  return body;
}

function tokenRequest(reg: Registry, issuer: TokenIssuer, ns: string, name: string, body: unknown): JsonMap {
  const sa = reg.get(R.serviceaccounts, ns, name);
  const input = isMap(body) ? body : {};
  if (input['kind'] !== undefined && input['kind'] !== 'TokenRequest') throw badRequest(`the kind in the data (${String(input['kind'])}) does not match the expected kind (TokenRequest)`);
  const spec = asMap(input['spec']);
  const seconds = spec['expirationSeconds'] === undefined || spec['expirationSeconds'] === null ? 3600 : Number(spec['expirationSeconds']);
  const gr = { ...R.serviceaccounts, kind: 'TokenRequest', group: 'authentication.k8s.io' };
  if (!Number.isInteger(seconds) || seconds < 600) {
    throw invalid(gr, name, [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${String(spec['expirationSeconds'])}: may not specify a duration less than 10 minutes` }]);
  }
  if (seconds > 2 ** 32) {
    throw invalid(gr, name, [{ reason: 'FieldValueTooLong', field: 'spec.expirationSeconds', message: `Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds` }]);
  }
  const audiences = Array.isArray(spec['audiences']) && spec['audiences'].length ? spec['audiences'].map(String) : [ISSUER];
  const now = Math.floor(Date.now() / 1000);
  const token = issuer.mint({
    aud: audiences,
    exp: now + seconds,
    iat: now,
    iss: ISSUER,
    jti: randomUUID(),
    'kubernetes.io': { namespace: ns, serviceaccount: { name, uid: sa.metadata.uid } },
    nbf: now,
    sub: `system:serviceaccount:${ns}:${name}`,
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: ns, creationTimestamp: null },
    spec: { audiences, expirationSeconds: seconds, boundObjectRef: spec['boundObjectRef'] ?? null },
    status: { token, expirationTimestamp: new Date((now + seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
}

/** Does this request target one of the answering APIs? */
export function isReview(res: ResourceDef, sub: string | undefined): boolean {
  return res.virtual === true || (res === R.serviceaccounts && sub === 'token');
}

/** POST to a review API or serviceaccounts/<sa>/token. */
export function serveReview(reg: Registry, req: IncomingMessage, res: ServerResponse, t: { res: ResourceDef; ns: string | undefined; name: string | undefined; sub: string | undefined }, verb: string, body: unknown): void {
  if (verb !== 'create') throw methodNotAllowed();
  const issuer = issuerFor(reg);
  const user = issuer.userOf(bearer(req)) ?? ADMIN;
  if (t.res === R.serviceaccounts) {
    if (!t.name || t.ns === undefined) throw methodNotAllowed();
    sendJson(res, 201, tokenRequest(reg, issuer, t.ns, t.name, body));
    return;
  }
  if (t.name) throw methodNotAllowed();
  const input = review(t.res, body);
  const base = { kind: t.res.kind, apiVersion: t.res.apiVersion, metadata: { creationTimestamp: null } };
  switch (t.res.plural) {
    case 'selfsubjectreviews':
      sendJson(res, 201, { ...base, status: { userInfo: user } });
      return;
    case 'selfsubjectaccessreviews': {
      const spec = asMap(input['spec']);
      if (!isMap(spec['resourceAttributes']) && !isMap(spec['nonResourceAttributes'])) {
        throw invalid({ ...t.res }, '', [{ reason: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
      }
      sendJson(res, 201, { ...base, spec, status: { allowed: true, reason: ALLOWED_REASON } });
      return;
    }
    case 'selfsubjectrulesreviews':
      sendJson(res, 201, {
        ...base,
        spec: asMap(input['spec']),
        status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
      });
      return;
    case 'tokenreviews': {
      const spec = asMap(input['spec']);
      const who = issuer.userOf(typeof spec['token'] === 'string' ? spec['token'] : undefined);
      const claims = typeof spec['token'] === 'string' ? issuer.verify(spec['token']) : undefined;
      const status: JsonMap = who ? { authenticated: true, user: who, audiences: claims?.['aud'] ?? [] } : { user: {}, error: 'invalid bearer token' };
      sendJson(res, 201, { ...base, spec, status });
      return;
    }
  }
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}
