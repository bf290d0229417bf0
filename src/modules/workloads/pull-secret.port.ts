/** Image pull credentials for a team's image, when it registered some for that registry. */
export abstract class PullSecretPort {
  abstract pullSecretFor(teamId: string, image: string): Promise<{ registry: string; dockerConfigJson: string } | null>;
}
