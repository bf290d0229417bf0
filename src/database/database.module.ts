import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PrismaService, TransactionHost } from './prisma.service.js';

/** The URL Berth's database answers on (the embedded one's loopback URL when DATABASE_URL is unset). */
export const DATABASE_URL = Symbol('DATABASE_URL');

@Global()
@Module({})
export class DatabaseModule {
  static forPrisma(prisma: PrismaService, databaseUrl: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: PrismaService, useValue: prisma },
        { provide: TransactionHost, useFactory: () => new TransactionHost(prisma) },
        { provide: DATABASE_URL, useValue: databaseUrl },
      ],
      exports: [PrismaService, TransactionHost, DATABASE_URL],
    };
  }
}
