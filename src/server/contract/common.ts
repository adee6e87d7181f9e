/** Schemas several contract modules share (kept apart so the modules do not import each other in a circle). */
import * as z from 'zod';

/** A PIN: 4 to 12 digits. */
export const pinSchema = z.string().regex(/^\d{4,12}$/, 'PIN must be 4 to 12 digits');
