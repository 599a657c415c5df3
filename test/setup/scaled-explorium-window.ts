/**
 * Workflow tests run Explorium on real time: its documented 200 records per sliding minute would
 * make each test past 200 ids wait minutes. They check what the node does, not how long it waits,
 * so the window is scaled to 200 records per 250 ms (the records rule itself is unchanged; unit tests
 * and the e2e level keep the documented minute). A test may set its own.
 */
import { EXPLORIUM } from '../../nodes/Explorium/adapter/provider';

EXPLORIUM.limits.rateLimit = { limit: 200, windowMs: 250, unit: 'record' };
