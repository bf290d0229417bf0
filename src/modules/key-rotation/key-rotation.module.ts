import { Module } from '@nestjs/common';
import { KeyRotationRepository } from './key-rotation.repository.js';
import { KeyRotationService } from './key-rotation.service.js';

@Module({ providers: [KeyRotationRepository, KeyRotationService], exports: [KeyRotationService] })
export class KeyRotationModule {}
