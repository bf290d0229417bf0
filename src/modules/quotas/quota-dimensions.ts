// The dimensions a team's quota limits, and how a formation turns into CPU and memory usage.
import { findSize } from '../sizes/sizes.catalogue.js';

export interface UsageDelta {
  apps?: number;
  environments?: number;
  cpuMillis?: number;
  memoryMib?: number;
}

export interface ProcessShape {
  replicas: number;
  size: string;
  autoscaleMax?: number | null;
}

/** What a process type can consume at most: autoscaled processes count at their maximum. */
export function processUsage(p: ProcessShape): { cpuMillis: number; memoryMib: number } {
  const size = findSize(p.size);
  const replicas = p.autoscaleMax ?? p.replicas;
  return { cpuMillis: (size?.cpuMillis ?? 0) * replicas, memoryMib: (size?.memoryMiB ?? 0) * replicas };
}

export function formationUsage(processes: ProcessShape[]): { cpuMillis: number; memoryMib: number } {
  return processes.map(processUsage).reduce((a, b) => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryMib: a.memoryMib + b.memoryMib }), { cpuMillis: 0, memoryMib: 0 });
}
