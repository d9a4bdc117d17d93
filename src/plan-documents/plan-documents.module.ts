import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { PlanDocumentsController } from './plan-documents.controller';
import { PlanDocumentsService } from './plan-documents.service';

@Module({ imports: [PlansModule], controllers: [PlanDocumentsController], providers: [PlanDocumentsService], exports: [PlanDocumentsService] })
export class PlanDocumentsModule {}
