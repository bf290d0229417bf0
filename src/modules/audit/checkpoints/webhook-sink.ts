// Checkpoints POSTed to an operator's HTTP endpoint (a log collector, a notary service). When the
// endpoint also answers GET with the JSON array of what it received, verification reads it back.
import type { SignedHead } from '../audit-signer.js';
import { asCheckpoints, CheckpointSink } from './checkpoint-sink.js';

const TIMEOUT_MS = 5000;

export class WebhookCheckpointSink extends CheckpointSink {
  readonly description: string;

  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
  ) {
    super();
    const shown = new URL(url);
    this.description = `webhook ${shown.origin}${shown.pathname}`;
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', accept: 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  async write(checkpoint: SignedHead): Promise<void> {
    const response = await fetch(this.url, { method: 'POST', headers: this.headers(), body: JSON.stringify(checkpoint), signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`checkpoint webhook answered ${response.status}`);
  }

  async readAll(): Promise<SignedHead[] | undefined> {
    try {
      const response = await fetch(this.url, { method: 'GET', headers: this.headers(), signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) {
        await response.arrayBuffer();
        return undefined;
      }
      return asCheckpoints(await response.json());
    } catch {
      return undefined;
    }
  }
}
