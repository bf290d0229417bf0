import { EnvironmentEvents } from '../../../src/common/events/environment-events.js';

/** EnvironmentEvents that records what it was told, in order. */
export class RecordingEnvironmentEvents extends EnvironmentEvents {
  readonly told: string[] = [];

  changed(teamId: string, environmentId: string): Promise<void> {
    this.told.push(`environment ${teamId}/${environmentId}`);
    return Promise.resolve();
  }

  teamChanged(teamId: string): Promise<void> {
    this.told.push(`team ${teamId}`);
    return Promise.resolve();
  }

  clusterChanged(clusterId: string): Promise<void> {
    this.told.push(`cluster ${clusterId}`);
    return Promise.resolve();
  }
}
