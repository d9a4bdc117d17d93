import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { systemClock } from './clock';
import { openDataSource } from './database';
import { Db } from './db.service';
import { AppConfig } from './env';
import { APP_CONFIG, CLOCK } from './tokens';

@Global()
@Module({})
export class InfraModule {
  static forRoot(cfg: AppConfig): DynamicModule {
    return {
      module: InfraModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ retryAttempts: 0 }),
          dataSourceFactory: async () => openDataSource(cfg),
        }),
      ],
      providers: [{ provide: APP_CONFIG, useValue: cfg }, { provide: CLOCK, useValue: systemClock }, Db],
      exports: [APP_CONFIG, CLOCK, Db],
    };
  }
}
