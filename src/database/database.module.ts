import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PrismaService, TransactionHost } from './prisma.service.js';

@Global()
@Module({})
export class DatabaseModule {
  static forPrisma(prisma: PrismaService): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: PrismaService, useValue: prisma },
        { provide: TransactionHost, useFactory: () => new TransactionHost(prisma) },
      ],
      exports: [PrismaService, TransactionHost],
    };
  }
}
