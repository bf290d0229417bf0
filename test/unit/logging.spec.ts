import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { PinoNestLogger } from '../../src/common/logging/pino-nest-logger.js';

function capture(): { lines: Array<{ level: number; msg: string; context?: string }>; logger: PinoNestLogger } {
  const lines: Array<{ level: number; msg: string; context?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string; context?: string });
      done();
    },
  });
  return { lines, logger: new PinoNestLogger(pino({ level: 'info' }, sink)) };
}

describe('Nest log lines', () => {
  it("put Nest's per-module and per-route start-up lines at debug, other lines at info", async () => {
    const { lines, logger } = capture();
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/v1/apps, GET} route', 'RouterExplorer');
    logger.log('AppsController {/v1/apps}:', 'RoutesResolver');
    logger.log('took back the jobs of Berth workers that died', 'WorkQueue');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.level, l.context, l.msg])).toEqual([[30, 'WorkQueue', 'took back the jobs of Berth workers that died']]);
  });
});
