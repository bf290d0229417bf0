// On first start Berth has no users; it creates a platform admin and prints its token once.
// BERTH_BOOTSTRAP_TOKEN lets an operator choose that token (and keeps it valid across restarts).
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';
import { TokensService } from './tokens.service.js';
import { UsersService } from '../users/users.service.js';

export interface BootstrapResult {
  email: string;
  /** Set only when a token was minted now and must be shown to the operator. */
  mintedToken?: string;
  created: boolean;
}

@Injectable()
export class AdminBootstrapService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly tx: TransactionHost,
  ) {}

  async run(email: string, configuredToken: string | undefined): Promise<BootstrapResult> {
    return this.tx.run(async () => {
      // Replicas starting together must not each create an admin.
      const { admin, created } = await this.users.ensurePlatformAdmin(email);
      if (configuredToken) {
        await this.tokens.ensure(admin.id, configuredToken, 'bootstrap token (BERTH_BOOTSTRAP_TOKEN)');
        return { email: admin.email, created };
      }
      if (!created) return { email: admin.email, created: false };
      const mintedToken = await this.tokens.mint(admin.id, 'bootstrap token');
      return { email: admin.email, mintedToken, created: true };
    });
  }
}
