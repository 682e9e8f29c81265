import type { EmulatorModule } from '../core/context.js';

/** Catalog and customer resources, in install order. */
export const catalogModules: EmulatorModule[] = [];
