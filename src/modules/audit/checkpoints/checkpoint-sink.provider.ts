import type { Provider } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../../config/config.js';
import { CheckpointSink, NoCheckpointSink } from './checkpoint-sink.js';
import { DirectoryCheckpointSink } from './directory-sink.js';
import { WebhookCheckpointSink } from './webhook-sink.js';

export const checkpointSinkProvider: Provider = {
  provide: CheckpointSink,
  inject: [BERTH_CONFIG],
  useFactory: (config: BerthConfig): CheckpointSink => {
    const sink = config.auditCheckpoint.sink;
    if (!sink) return new NoCheckpointSink();
    return sink.kind === 'directory' ? new DirectoryCheckpointSink(sink.path) : new WebhookCheckpointSink(sink.url, config.auditCheckpoint.sinkToken);
  },
};
