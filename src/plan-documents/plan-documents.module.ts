import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { PlanDocumentsController } from './plan-documents.controller';
import { PlanDocumentsRepository } from './plan-documents.repository';
import { PlanDocumentsService } from './plan-documents.service';

@Module({ imports: [PlansModule], controllers: [PlanDocumentsController], providers: [PlanDocumentsService, PlanDocumentsRepository], exports: [PlanDocumentsService] })
export class PlanDocumentsModule {}
