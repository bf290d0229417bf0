import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EncryptionService } from './encryption.service.js';

@Global()
@Module({})
export class CryptoModule {
  static forKeys(keys: string[]): DynamicModule {
    return {
      module: CryptoModule,
      providers: [{ provide: EncryptionService, useValue: new EncryptionService(keys) }],
      exports: [EncryptionService],
    };
  }
}
