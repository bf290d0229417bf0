import { stringify } from 'yaml';

/**
 * A kubeconfig with one cluster, one user (bearer token if any) and a context using both.
 * The sandbox speaks plain HTTP on loopback; `insecure-skip-tls-verify` is what lets
 * @kubernetes/client-node (which refuses http:// otherwise) talk to it. kubectl ignores it for http.
 */
export function buildKubeconfig(name: string, url: string, token: string | undefined): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: `${name}-user`, user: token ? { token } : {} }],
    contexts: [{ name, context: { cluster: name, user: `${name}-user`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
