// How Berth reaches a cluster: a whole kubeconfig, or an API URL with a CA and a bearer token or a
// client certificate. Stored encrypted; turned into a client-node KubeConfig only in memory.
import { KubeConfig } from '@kubernetes/client-node';

export type ClusterCredentials =
  | { kind: 'kubeconfig'; kubeconfig: string; context?: string }
  | { kind: 'token'; server: string; caData?: string; token: string; insecureSkipTlsVerify?: boolean }
  | { kind: 'client-certificate'; server: string; caData?: string; certData: string; keyData: string; insecureSkipTlsVerify?: boolean };

export function toKubeConfig(name: string, credentials: ClusterCredentials): KubeConfig {
  const kc = new KubeConfig();
  if (credentials.kind === 'kubeconfig') {
    kc.loadFromString(credentials.kubeconfig);
    if (credentials.context) kc.setCurrentContext(credentials.context);
    return kc;
  }
  // The user is named after the cluster: kubeconfigs of several clusters merged (kubectl, client
  // tools) must not have one cluster's credentials shadow another's.
  const userName = `berth@${name}`;
  const user =
    credentials.kind === 'token'
      ? { name: userName, token: credentials.token }
      : { name: userName, certData: credentials.certData, keyData: credentials.keyData };
  kc.loadFromOptions({
    clusters: [{ name, server: credentials.server, caData: credentials.caData, skipTLSVerify: credentials.insecureSkipTlsVerify ?? false }],
    users: [user],
    contexts: [{ name, cluster: name, user: userName }],
    currentContext: name,
  });
  return kc;
}

export function serverOf(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return cluster.server;
}
