/**
 * What a configuration change may contain, checked before anything is merged or written: only
 * keys the configuration schema knows (the first unknown ones named), at most
 * {@link MAX_CONFIG_DEPTH} levels of nesting and {@link MAX_CONFIG_BYTES} of JSON. The probe: a
 * 54 KB body of unknown, deeply nested keys grew config.json to 72 MB and slowed every command.
 * The walk follows the zod schema itself, so a section added to the schema is accepted at once.
 */
import type * as z from 'zod';
import { ConfigError } from '../config.ts';

/** Largest configuration change, and largest configuration file, in bytes of JSON. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Deepest nesting of a configuration change (objects and arrays). */
export const MAX_CONFIG_DEPTH = 8;

/** The parts of a zod 4 schema definition the walk reads. */
interface SchemaDef {
  type: string;
  innerType?: SchemaLike;
  in?: SchemaLike;
  shape?: Record<string, SchemaLike>;
  element?: SchemaLike;
  valueType?: SchemaLike;
  catchall?: SchemaLike;
}
interface SchemaLike { def: SchemaDef }

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

function unwrap(schema: SchemaLike): SchemaLike {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    if (WRAPPERS.has(s.def.type) && s.def.innerType) s = s.def.innerType;
    else if (s.def.type === 'pipe' && s.def.in) s = s.def.in;
    else break;
  }
  return s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Paths of the keys in `value` that `schema` does not know (dotted, arrays as [i]). */
export function unknownKeys(schema: z.ZodType, value: unknown): string[] {
  const out: string[] = [];
  const walk = (s0: SchemaLike, v: unknown, path: string): void => {
    const s = unwrap(s0);
    if (s.def.type === 'object' && s.def.shape && isObject(v)) {
      for (const [k, child] of Object.entries(v)) {
        const known = Object.prototype.hasOwnProperty.call(s.def.shape, k) ? s.def.shape[k] : undefined;
        const at = path === '' ? k : `${path}.${k}`;
        if (known) walk(known, child, at);
        else if (s.def.catchall && s.def.catchall.def.type !== 'never') walk(s.def.catchall, child, at);
        else out.push(at);
      }
    } else if (s.def.type === 'array' && s.def.element && Array.isArray(v)) {
      v.forEach((item, i) => walk(s.def.element as SchemaLike, item, `${path}[${i}]`));
    } else if (s.def.type === 'record' && s.def.valueType && isObject(v)) {
      for (const [k, child] of Object.entries(v)) walk(s.def.valueType, child, path === '' ? k : `${path}.${k}`);
    } else if (s.def.type === 'union' || s.def.type === 'discriminatedUnion') {
      // Unions are checked by the schema itself.
    }
  };
  walk(schema as unknown as SchemaLike, value, '');
  return out;
}

/** Nesting depth of a JSON value (a scalar is 0). */
export function depthOf(value: unknown, limit = MAX_CONFIG_DEPTH + 1): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const v of Object.values(value as Record<string, unknown>)) max = Math.max(max, depthOf(v, limit - 1));
  return max + 1;
}

/** Refuses a change that is too big, too deep, or names keys the schema does not know. */
export function checkConfigPatch(schema: z.ZodType, patch: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(patch));
  if (bytes > MAX_CONFIG_BYTES) throw new ConfigError(`the change is ${bytes} bytes; at most ${MAX_CONFIG_BYTES}`);
  if (depthOf(patch) > MAX_CONFIG_DEPTH) throw new ConfigError(`the change is nested deeper than ${MAX_CONFIG_DEPTH} levels`);
  const unknown = unknownKeys(schema, patch);
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).join(', ');
    throw new ConfigError(`unknown configuration key${unknown.length > 1 ? 's' : ''}: ${shown}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
  }
}
