// Explicit nulls, decided by the same metadata the OpenAPI document is built from: a field
// documented `nullable: true` takes null (its service reads null as "clear"); any other field
// given null is a 422 naming it, instead of reaching a NOT NULL column as a 500. One check for
// every input class, REST and GraphQL alike.
import type { InvalidParam } from '../errors/domain-error.js';

const SWAGGER_PROPERTIES = 'swagger/apiModelProperties';

interface PropertyMeta {
  nullable?: boolean;
  type?: unknown;
  isArray?: boolean;
}

type Constructor = new (...args: never[]) => unknown;

function meta(target: Constructor, key: string): PropertyMeta | undefined {
  return Reflect.getMetadata(SWAGGER_PROPERTIES, target.prototype as object, key) as PropertyMeta | undefined;
}

/** A nested input class, when the property's documented type is one (not String, Number, …). */
function nestedClass(property: PropertyMeta | undefined): Constructor | undefined {
  let type = property?.type;
  if (Array.isArray(type)) type = type[0];
  if (typeof type !== 'function' || [String, Number, Boolean, Object, Array, Date].includes(type as never)) return undefined;
  // Lazy type functions (`type: () => X`) have no prototype properties; classes do.
  if (!(type as { prototype?: unknown }).prototype) {
    try {
      const resolved = (type as () => unknown)();
      return typeof resolved === 'function' ? (resolved as Constructor) : undefined;
    } catch {
      return undefined;
    }
  }
  return type as Constructor;
}

/** Every explicit null the input class does not allow, by dot path. */
export function disallowedNulls(value: unknown, target: Constructor, path = ''): InvalidParam[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const out: InvalidParam[] = [];
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const property = meta(target, key);
    const name = path ? `${path}.${key}` : key;
    if (item === null) {
      // Unknown keys are refused by the whitelist anyway; only documented non-nullable ones here.
      if (property && !property.nullable) out.push({ name, reason: 'must not be null (leave the field out to keep its value)' });
      continue;
    }
    const nested = nestedClass(property);
    if (!nested) continue;
    if (Array.isArray(item)) item.forEach((element, i) => out.push(...disallowedNulls(element, nested, `${name}.${i}`)));
    else out.push(...disallowedNulls(item, nested, name));
  }
  return out;
}
