// The dyno-size catalogue: what a process type may ask for, in Kubernetes quantities.
// Requests are what the scheduler reserves; limits are the ceiling (CPU throttles, memory kills).

export interface Size {
  name: string;
  description: string;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
  /** Milli-CPU and MiB of the request, for quota arithmetic. */
  cpuMillis: number;
  memoryMiB: number;
}

export const SIZES: readonly Size[] = [
  { name: 'small', description: '0.25 CPU, 512 MiB', cpuRequest: '250m', cpuLimit: '500m', memoryRequest: '512Mi', memoryLimit: '512Mi', cpuMillis: 250, memoryMiB: 512 },
  { name: 'medium', description: '0.5 CPU, 1 GiB', cpuRequest: '500m', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi', cpuMillis: 500, memoryMiB: 1024 },
  { name: 'large', description: '1 CPU, 2 GiB', cpuRequest: '1', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '2Gi', cpuMillis: 1000, memoryMiB: 2048 },
  { name: 'xlarge', description: '2 CPU, 4 GiB', cpuRequest: '2', cpuLimit: '4', memoryRequest: '4Gi', memoryLimit: '4Gi', cpuMillis: 2000, memoryMiB: 4096 },
];

export const SIZE_NAMES = SIZES.map((s) => s.name);
export const DEFAULT_SIZE = 'small';

export function findSize(name: string): Size | undefined {
  return SIZES.find((s) => s.name === name);
}
