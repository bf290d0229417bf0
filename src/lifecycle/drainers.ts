// Work that must be handed back or finished before Berth exits (e.g. the work queue returning its
// claimed jobs). Modules register a drainer at start; shutdown() runs them in registration order
// after the HTTP server has drained and before Nest's shutdown hooks and the database pool close.
import { Injectable, Module } from '@nestjs/common';

export interface Drainer {
  /** Shown in logs, e.g. "work-queue". */
  name: string;
  /**
   * Stop taking new work and finish or hand back what is in progress. `signal` aborts when the
   * shutdown deadline (BERTH_SHUTDOWN_TIMEOUT_MS) passes; shutdown does not wait longer than that.
   */
  drain(signal: AbortSignal): Promise<void>;
}

@Injectable()
export class ShutdownDrainers {
  private readonly drainers: Drainer[] = [];

  /** Adds a drainer; returns a function that removes it again. */
  register(drainer: Drainer): () => void {
    this.drainers.push(drainer);
    return () => {
      const index = this.drainers.indexOf(drainer);
      if (index >= 0) this.drainers.splice(index, 1);
    };
  }

  list(): readonly Drainer[] {
    return [...this.drainers];
  }
}

@Module({ providers: [ShutdownDrainers], exports: [ShutdownDrainers] })
export class LifecycleModule {}
