// CPU time spent by processes, from /proc (Linux): how a phase's work was shared between Berth, the
// sandbox clusters and everything else (PostgreSQL, the load generator) on the same cores.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100;

/**
 * User + system CPU seconds a process has used (0 once it is gone); with `reaped`, also that of its
 * children that have exited and been waited for (PostgreSQL's ended backends, under the postmaster).
 */
export function processCpuS(pid: number | string, reaped = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): utime, stime, cutime and cstime are the 12th to 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) / TICKS_PER_S;
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
  /** The other processes that used the most of it, by command name (e.g. a process left over by an earlier row). */
  otherTop: Array<{ command: string; s: number }>;
}

/** Every live process: its command name and CPU seconds (PostgreSQL's with its ended backends, see processCpuS). */
function processes(): Map<string, { command: string; s: number }> {
  const out = new Map<string, { command: string; s: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      out.set(entry, { command, s: processCpuS(entry, command === 'postgres') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const selfCpuS = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Starts counting; the function returned gives each side's CPU seconds since. */
export function cpuShare(berthPid: number, sandboxPid: number): () => CpuShare {
  const own = new Set([String(berthPid), String(sandboxPid), String(process.pid)]);
  const before = processes();
  const m0 = selfCpuS();
  const i0 = softirqCpuS();
  const t0 = busyCpuS();
  return () => {
    const after = processes();
    const delta = (pid: string) => (after.get(pid)?.s ?? 0) - (before.get(pid)?.s ?? 0);
    const berthS = delta(String(berthPid));
    const sandboxS = delta(String(sandboxPid));
    let postgresS = 0;
    const others = new Map<string, number>();
    for (const [pid, { command }] of after) {
      if (own.has(pid)) continue;
      if (command === 'postgres') postgresS += delta(pid);
      else others.set(command, (others.get(command) ?? 0) + delta(pid));
    }
    // A backend that ended meanwhile is now in the postmaster's reaped time, from its start: what it
    // had used before this phase comes off again.
    for (const [pid, { command, s }] of before) if (command === 'postgres' && !after.has(pid)) postgresS -= s;
    const benchS = selfCpuS() - m0;
    const softirqS = softirqCpuS() - i0;
    const known = berthS + sandboxS + postgresS + benchS + softirqS;
    const otherTop = [...others]
      .filter(([, s]) => s >= 0.1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([command, s]) => ({ command, s: round(s) }));
    return { berthS: round(berthS), sandboxS: round(sandboxS), postgresS: round(postgresS), benchS: round(benchS), softirqS: round(softirqS), otherS: round(busyCpuS() - t0 - known), otherTop };
  };
}

const round = (s: number) => Math.round(s * 10) / 10;
