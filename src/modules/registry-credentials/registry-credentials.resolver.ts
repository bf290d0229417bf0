import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { Audited } from '../audit/audited.decorator.js';
import { PutRegistryCredentialInput } from './dto/registry-credential.input.js';
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

  @Mutation(() => RegistryCredentialType, { description: 'Set the login for a container registry (creates or replaces); the password is write-only' })
  @Audited('registry_credential.put', 'registry_credential')
  @TeamAccess('admin')
  putRegistryCredential(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('input') input: PutRegistryCredentialInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.put(actor, team, input.registry, input);
  }

  @Mutation(() => Boolean, { description: 'Forget the login for a registry' })
  @Audited('registry_credential.delete', 'registry_credential')
  @TeamAccess('admin')
  async deleteRegistryCredential(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('registry') registry: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.delete(actor, team, registry).then(() => true);
  }
}
