import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { AppConfig } from './infra/env';
import { InfraModule } from './infra/infra.module';
import { FEATURE_MODULES } from './feature-modules';

@Module({})
export class AppModule {
  static forRoot(cfg: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [InfraModule.forRoot(cfg), AuthModule, ...FEATURE_MODULES],
      controllers: [HealthController],
    };
  }
}
