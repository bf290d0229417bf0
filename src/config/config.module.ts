import { Global, Module, type DynamicModule } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from './config.js';

@Global()
@Module({})
export class ConfigModule {
  static forConfig(config: BerthConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: BERTH_CONFIG, useValue: config }], exports: [BERTH_CONFIG] };
  }
}
