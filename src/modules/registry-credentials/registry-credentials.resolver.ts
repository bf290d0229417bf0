import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { Audited } from '../audit/audited.decorator.js';
import { DeleteRegistryCredentialMutationInput, PutRegistryCredentialMutationInput } from './dto/registry-credential.mutation-input.js';
import { DeleteRegistryCredentialPayload, PutRegistryCredentialPayload } from './models/registry-credential.payloads.js';
import { RegistryCredentialType } from './models/registry-credential.type.js';
import { RegistryCredentialsService } from './registry-credentials.service.js';
import { TEAM_REF } from '../../graphql/refs.js';

@Resolver(() => RegistryCredentialType)
export class RegistryCredentialsResolver {
  constructor(private readonly service: RegistryCredentialsService) {}

  @Query(() => [RegistryCredentialType], { description: 'Registries the team has logins for (never the passwords)' })
  @TeamAccess('admin')
  registryCredentials(@CurrentActor() actor: Actor, @Args(...TEAM_REF) team: string) {
    return this.service.list(actor, team);
  }

  @PayloadMutation(PutRegistryCredentialPayload, 'Set the login for a container registry (creates or replaces); the password is write-only (PUT /v1/teams/{team}/registry-credentials/{registry})')
  @Audited('registry_credential.put', 'registry_credential')
  @TeamAccess('admin')
  putRegistryCredential(@CurrentActor() actor: Actor, @InputArg() input: PutRegistryCredentialMutationInput) {
    return this.service.put(actor, input.team, input.registry, input);
  }

  @PayloadMutation(DeleteRegistryCredentialPayload, 'Forget the login for a registry (DELETE /v1/teams/{team}/registry-credentials/{registry})')
  @Audited('registry_credential.delete', 'registry_credential')
  @TeamAccess('admin')
  deleteRegistryCredential(@CurrentActor() actor: Actor, @InputArg() input: DeleteRegistryCredentialMutationInput) {
    return this.service.delete(actor, input.team, input.registry);
  }
}
