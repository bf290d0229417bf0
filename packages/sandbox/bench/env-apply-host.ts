import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startSandboxCluster } from '../src/index.js';

/**
 * A sandbox cluster with bench row 7's settings in a process of its own (forked by
 * env-apply.bench.ts); reports its CPU time and can record a CPU profile of one phase
 * (`prof-start`, then `prof-stop:<file>`).
 */
const cluster = await startSandboxCluster({ name: 'env-bench', rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 50, logIntervalMs: 50 });
/** CPU ms of the main (JavaScript) thread alone, from /proc (GC helper threads excluded); NaN elsewhere. */
function mainThreadMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 1/100 s (USER_HZ on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

const session = new Session();
session.connect();
process.send!({ url: cluster.url });
process.on('message', (msg: string) => {
  void (async () => {
    let value: unknown;
    if (msg === 'cpu') {
      const u = process.cpuUsage();
      value = { process: (u.user + u.system) / 1000, main: mainThreadMs() };
    } else if (msg === 'revision') value = cluster.core.store.revision;
    else if (msg === 'prof-start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    } else if (msg.startsWith('prof-stop:')) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(msg.slice('prof-stop:'.length), JSON.stringify(profile));
    } else if (msg === 'stop') {
      session.disconnect();
      await cluster.stop();
    }
    process.send!({ reply: msg, value }, () => {
      if (msg === 'stop') process.exit(0);
    });
  })();
});
process.on('disconnect', () => process.exit(0));
