// Providers' schemas still import FieldLabels from here (nodes/<Provider> is outside this change).
export type { FieldLabels } from './types';
