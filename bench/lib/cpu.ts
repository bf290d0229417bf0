// CPU time spent by processes, from /proc (Linux): how a phase's work was shared between Berth, the
// sandbox clusters and everything else (PostgreSQL, the load generator) on the same cores.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100;

/** User + system CPU seconds a process has used (0 once it is gone). */
export function processCpuS(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The machine's CPU tick counters since boot: user, nice, system, idle, iowait, irq, softirq, steal, … */
function machineTicks(): number[] {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  return ticks.map(Number);
}

/** CPU seconds all cores spent busy (not idle, not waiting for I/O) since boot. */
export function busyCpuS(): number {
  const n = machineTicks();
  return (n.reduce((a, b) => a + b, 0) - (n[3] ?? 0) - (n[4] ?? 0)) / TICKS_PER_S;
}

/** CPU seconds spent in soft interrupts since boot: on loopback, the kernel's TCP processing, charged to no process. */
function softirqCpuS(): number {
  return (machineTicks()[6] ?? 0) / TICKS_PER_S;
}

export interface CpuShare {
  berthS: number;
  sandboxS: number;
  /** PostgreSQL's processes (its backends and background workers). */
  postgresS: number;
  /** This process: the bench's polling and load generator. */
  benchS: number;
  /** Soft interrupts (the kernel's network processing of the loopback traffic, mostly). */
  softirqS: number;
  /** The rest of the machine (the kernel's own threads, other processes). */
  otherS: number;
}

/** CPU seconds of every live process whose command name is `postgres` (exited ones are not counted). */
function postgresCpuS(): number {
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') sum += processCpuS(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

const selfCpuS = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Starts counting; the function returned gives each side's CPU seconds since. */
export function cpuShare(berthPid: number, sandboxPid: number): () => CpuShare {
  const b0 = processCpuS(berthPid);
  const s0 = processCpuS(sandboxPid);
  const p0 = postgresCpuS();
  const m0 = selfCpuS();
  const i0 = softirqCpuS();
  const t0 = busyCpuS();
  return () => {
    const berthS = processCpuS(berthPid) - b0;
    const sandboxS = processCpuS(sandboxPid) - s0;
    const postgresS = postgresCpuS() - p0;
    const benchS = selfCpuS() - m0;
    const softirqS = softirqCpuS() - i0;
    const known = berthS + sandboxS + postgresS + benchS + softirqS;
    return { berthS: round(berthS), sandboxS: round(sandboxS), postgresS: round(postgresS), benchS: round(benchS), softirqS: round(softirqS), otherS: round(busyCpuS() - t0 - known) };
  };
}

const round = (s: number) => Math.round(s * 10) / 10;
