import { Module } from '@nestjs/common';
import { PortalController } from './portal.controller';

/** The web portal at `/`: static pages that are pure clients of the JSON API. */
@Module({ controllers: [PortalController] })
export class PortalModule {}
