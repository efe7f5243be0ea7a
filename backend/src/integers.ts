// Whole numbers in URLs, written one way only. Path and query values arrive as text; the route
// schemas declare some of them integers. Each such value must be plain decimal digits (no sign,
// no leading zero, no space, no 0x or exponent) before it becomes a number for the schema check:
// `versions/1` names version 1, `versions/0x1` and `versions/%20%31` name nothing.
import type { JsonSchema } from './routes/route';
import { BadRequest } from './errors';

const canonical = /^(?:0|[1-9][0-9]{0,14})$/;

/** The names of the integer properties a params or querystring schema declares. */
export function integerFields(schema: JsonSchema | undefined): string[] {
  const properties = (schema?.properties ?? {}) as Record<string, { type?: unknown }>;
  return Object.entries(properties).flatMap(([name, p]) => (p.type === 'integer' ? [name] : []));
}

/** Turns the named fields of `values` into numbers in place; throws a 400 naming a field written otherwise. */
export function parseIntegers(part: 'params' | 'querystring', values: Record<string, unknown> | undefined, fields: readonly string[]): void {
  if (!values) return;
  for (const name of fields) {
    const value = values[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !canonical.test(value)) throw new BadRequest(`${part}/${name} must be a whole number written in decimal digits, like 1`);
    values[name] = Number(value);
  }
}
