/**
 * The one exact encoding of values: a JSON value from which the original can be told apart from
 * every other. JSON alone loses or confuses values (`Date` and its ISO string, `NaN` and `null`, a
 * `Map` and `{}`, `-0` and `0`); here each such value becomes a tagged object `{"$t": type, "v": …}`,
 * and so that no object of the user's can pass for one, every key that starts with `$` gets one more
 * `$`. Used to store front matter (src/load/front-matter-cache.ts, decoded with {@link decodeExact})
 * and to fingerprint values (src/build/output-keys.ts, the render cache's config identity).
 */

/** What {@link encodeExact} returns for a value it cannot encode exactly in the mode asked for. */
export const NOT_EXACT: unique symbol = Symbol('not exact');

/**
 * How {@link encodeExact} encodes:
 *
 * - `store` (the default): reversibly. Functions, symbols, class instances other than `Date`,
 *   `Buffer`, `Uint8Array`, `Map` and `Set`, arrays with holes and any object reached twice (YAML
 *   aliases, cycles: decoding would give two copies) are {@link NOT_EXACT}.
 * - `fingerprint`: injectively, not necessarily reversibly. A function is its name and source text,
 *   a symbol its description, an object with `toJSON` (a `URL`) what that gives, another class
 *   instance its constructor's name and own properties, `RegExp` its source; an object reached twice
 *   is written twice. A cycle is {@link NOT_EXACT}, or with `cycles: 'mark'` a reference to the
 *   ancestor it goes back to (by how many levels up), which keeps the text exact.
 */
export interface ExactOptions {
  mode?: 'store' | 'fingerprint';
  cycles?: 'fail' | 'mark';
}

/** A tagged value. */
function tagged(type: string, value?: unknown): { $t: string; v?: unknown } {
  return value === undefined ? { $t: type } : { $t: type, v: value };
}

/**
 * The exact JSON value of `value` (see the module's description and {@link ExactOptions}), or
 * {@link NOT_EXACT}.
 *
 * @example
 * ```ts
 * encodeExact({ date: new Date(0), $ref: NaN });
 * // { date: { $t: 'date', v: '0' }, $$ref: { $t: 'number', v: 'NaN' } }
 * decodeExact(encodeExact(value)); // a value equal to `value`, in `store` mode
 * ```
 */
export function encodeExact(value: unknown, options: ExactOptions = {}): unknown {
  const fingerprint = options.mode === 'fingerprint';
  const markCycles = fingerprint && options.cycles === 'mark';
  // `store`: every object seen (none may be reached twice); `fingerprint`: the objects above this one.
  const seen = new Set<object>();
  const ancestors: object[] = [];
  const encode = (item: unknown): unknown => {
    switch (typeof item) {
      case 'string':
      case 'boolean':
        return item;
      case 'number':
        return Number.isFinite(item) && !Object.is(item, -0)
          ? item
          : tagged('number', Object.is(item, -0) ? '-0' : String(item));
      case 'undefined':
        return tagged('undefined');
      case 'bigint':
        return tagged('bigint', item.toString());
      case 'function':
        return fingerprint
          ? tagged('function', `${item.name}:${Function.prototype.toString.call(item)}`)
          : NOT_EXACT;
      case 'symbol':
        return fingerprint ? tagged('symbol', String(item)) : NOT_EXACT;
    }
    if (item === null) return null;
    const object = item as object;
    if (fingerprint) {
      const at = ancestors.lastIndexOf(object);
      if (at !== -1) return markCycles ? tagged('cycle', ancestors.length - at) : NOT_EXACT;
    } else {
      if (seen.has(object)) return NOT_EXACT;
      seen.add(object);
    }
    ancestors.push(object);
    try {
      return encodeObject(object);
    } finally {
      ancestors.pop();
    }
  };
  const encodeList = (items: readonly unknown[]): unknown[] | typeof NOT_EXACT => {
    const result: unknown[] = [];
    for (const item of items) {
      const encoded = encode(item);
      if (encoded === NOT_EXACT) return NOT_EXACT;
      result.push(encoded);
    }
    return result;
  };
  const encodeObject = (object: object): unknown => {
    const prototype = Object.getPrototypeOf(object);
    if (prototype === Date.prototype) return tagged('date', String((object as Date).getTime()));
    if (prototype === Buffer.prototype || prototype === Uint8Array.prototype) {
      const bytes = object as Uint8Array;
      return tagged(
        prototype === Buffer.prototype ? 'buffer' : 'bytes',
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      );
    }
    if (prototype === Array.prototype) {
      const array = object as unknown[];
      // Holes or extra properties: JSON would lose them.
      if (Object.keys(array).length !== array.length) {
        if (!fingerprint) return NOT_EXACT;
        return tagged('sparse', encodePlain(array));
      }
      return encodeList(array);
    }
    if (prototype === Set.prototype) {
      const items = encodeList([...(object as Set<unknown>)]);
      return items === NOT_EXACT ? NOT_EXACT : tagged('set', items);
    }
    if (prototype === Map.prototype) {
      const pairs = encodeList([...(object as Map<unknown, unknown>)].flat());
      if (pairs === NOT_EXACT) return NOT_EXACT;
      const entries: unknown[] = [];
      for (let at = 0; at < pairs.length; at += 2) entries.push([pairs[at], pairs[at + 1]]);
      return tagged('map', entries);
    }
    if (prototype === Object.prototype || (fingerprint && prototype === null)) return encodePlain(object);
    if (!fingerprint) return NOT_EXACT;
    if (object instanceof RegExp) return tagged('regexp', String(object));
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const json = encode(toJSON.call(object));
      return json === NOT_EXACT ? NOT_EXACT : tagged('json', json);
    }
    const own = encodePlain(object);
    return own === NOT_EXACT ? NOT_EXACT : tagged('object', [object.constructor?.name ?? '', own]);
  };
  /** An object's own enumerable string-keyed data properties (`store`: nothing else may be there). */
  const encodePlain = (object: object): unknown => {
    if (!fingerprint && Object.getOwnPropertySymbols(object).length > 0) return NOT_EXACT;
    const result: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(object)) {
      const descriptor = Object.getOwnPropertyDescriptor(object, name)!;
      if (!descriptor.enumerable) {
        if (fingerprint) continue;
        return NOT_EXACT;
      }
      if (!('value' in descriptor)) return NOT_EXACT;
      const encoded = encode(descriptor.value);
      if (encoded === NOT_EXACT) return NOT_EXACT;
      defineKey(result, name.startsWith('$') ? `$${name}` : name, encoded);
    }
    return result;
  };
  return encode(value);
}

/**
 * The text of {@link encodeExact}'s value in `fingerprint` mode: equal texts, equal values.
 * `undefined` when the value cannot be fingerprinted (a cycle, unless `cycles: 'mark'`).
 *
 * @example
 * ```ts
 * exactText(new Map([[1, 'a']])); // '{"$t":"map","v":[[1,"a"]]}'
 * exactText(new Date(0)) === exactText('1970-01-01T00:00:00.000Z'); // false
 * ```
 */
export function exactText(value: unknown, options: Omit<ExactOptions, 'mode'> = {}): string | undefined {
  const encoded = encodeExact(value, { ...options, mode: 'fingerprint' });
  return encoded === NOT_EXACT ? undefined : JSON.stringify(encoded);
}

/**
 * The inverse of {@link encodeExact} in `store` mode, for what `JSON.parse` gives; throws an `Error`
 * on a malformed tag.
 */
export function decodeExact(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeExact);
  const object = value as Record<string, unknown>;
  if (Object.hasOwn(object, '$t')) {
    const { $t: type, v } = object;
    switch (type) {
      case 'number':
        if (v === '-0') return -0;
        if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
        break;
      case 'undefined':
        return undefined;
      case 'bigint':
        if (typeof v === 'string') return BigInt(v);
        break;
      case 'date':
        if (typeof v === 'string') return new Date(Number(v));
        break;
      case 'buffer':
        if (typeof v === 'string') return Buffer.from(v, 'base64');
        break;
      case 'bytes':
        if (typeof v === 'string') return new Uint8Array(Buffer.from(v, 'base64'));
        break;
      case 'set':
        if (Array.isArray(v)) return new Set(v.map(decodeExact));
        break;
      case 'map':
        if (Array.isArray(v)) {
          return new Map(
            v.map((pair) => {
              if (!Array.isArray(pair) || pair.length !== 2) throw new Error('a malformed map entry');
              return [decodeExact(pair[0]), decodeExact(pair[1])] as const;
            }),
          );
        }
        break;
    }
    throw new Error(`a malformed tagged value: ${String(type)}`);
  }
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(object)) {
    defineKey(result, name.startsWith('$') ? name.slice(1) : name, decodeExact(object[name]));
  }
  return result;
}

/**
 * Whether JSON writes `value` exactly as {@link encodeExact} does (strings, finite numbers other than
 * `-0`, booleans, `null`, arrays without holes and plain objects of them, no key starting with `$`),
 * so that plain `JSON.stringify` is enough. Front matter nearly always is, and checking costs far
 * less than encoding. In `store` mode (as {@link encodeExact}'s), objects without a prototype and
 * any object reached twice are refused too: then `JSON.stringify(value)` is the text of
 * `encodeExact(value)`, and decodes to an identical value.
 *
 * @example
 * ```ts
 * isPlainJson({ title: 'A', tags: ['b'] }); // true: JSON.stringify(value) will do
 * isPlainJson({ date: new Date(0) }); // false: encodeExact tags the date
 * ```
 */
export function isPlainJson(value: unknown, options: Pick<ExactOptions, 'mode'> = {}): boolean {
  const seen = options.mode === 'store' ? new Set<object>() : undefined;
  const check = (item: unknown, depth: number): boolean => {
    switch (typeof item) {
      case 'string':
      case 'boolean':
        return true;
      case 'number':
        return Number.isFinite(item) && !Object.is(item, -0);
      case 'object': {
        if (item === null) return true;
        if (depth > 64) return false;
        if (Array.isArray(item)) {
          if (Object.getPrototypeOf(item) !== Array.prototype) return false;
          if (seen !== undefined) {
            // As encodeExact stores: each array once, and nothing beside its items.
            if (seen.has(item) || Object.keys(item).length !== item.length) return false;
            seen.add(item);
          }
          for (let index = 0; index < item.length; index++) {
            if (!(index in item) || !check(item[index], depth + 1)) return false;
          }
          return true;
        }
        const prototype = Object.getPrototypeOf(item);
        if (seen === undefined) {
          if (prototype !== Object.prototype && prototype !== null) return false;
          for (const key in item) {
            if (key.charCodeAt(0) === 36 || !check((item as Record<string, unknown>)[key], depth + 1)) {
              return false;
            }
          }
          return true;
        }
        // As encodeExact stores: each object once, own enumerable data properties only.
        if (prototype !== Object.prototype || seen.has(item)) return false;
        seen.add(item);
        if (Object.getOwnPropertySymbols(item).length > 0) return false;
        for (const name of Object.getOwnPropertyNames(item)) {
          const descriptor = Object.getOwnPropertyDescriptor(item, name)!;
          if (!descriptor.enumerable || !('value' in descriptor) || name.charCodeAt(0) === 36) return false;
          if (!check(descriptor.value, depth + 1)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  };
  return check(value, 0);
}

/**
 * The JSON text of {@link encodeExact}'s value in `store` mode, or `undefined` when the value cannot
 * be stored exactly: plain data is written as it is ({@link isPlainJson}), without the encoded copy.
 *
 * @example
 * ```ts
 * storedText({ title: 'A' }); // '{"title":"A"}'
 * storedText({ at: new Date(0) }); // '{"at":{"$t":"date","v":"0"}}'
 * ```
 */
export function storedText(value: unknown): string | undefined {
  if (isPlainJson(value, { mode: 'store' })) return JSON.stringify(value);
  const encoded = encodeExact(value);
  return encoded === NOT_EXACT ? undefined : JSON.stringify(encoded);
}

/** Sets an own enumerable property, `__proto__` included (an assignment would set the prototype). */
function defineKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}
