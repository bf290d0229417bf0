import { Injectable } from '@nestjs/common';
import type { KubeGateway } from './kube/kube-gateway.js';

export interface ProbeResult {
  reachable: boolean;
  serverVersion: string | null;
  lastError: string | null;
}

const PROBE_TIMEOUT_MS = 5000;

/** Asks a cluster for its version, bounded in time: a slow cluster is reported, never waited on. */
@Injectable()
export class ClusterProbe {
  async run(gateway: KubeGateway): Promise<ProbeResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const version = await Promise.race([
        gateway.version(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
      return { reachable: true, serverVersion: version, lastError: null };
    } catch (error) {
      return { reachable: false, serverVersion: null, lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
