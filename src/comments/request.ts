/** The two encodings the intake reads. */
export type BodyKind = 'form' | 'json';

/** The body kind of a `Content-Type` (charset, when given, must be UTF-8), or `undefined`. */
export function bodyKindOf(contentType: string | null): BodyKind | undefined {
  if (contentType === null) return undefined;
  const [type = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=');
    if (name === 'charset' && value.replace(/^"|"$/g, '') !== 'utf-8' && value !== 'utf8') return undefined;
  }
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json') return 'json';
  return undefined;
}

/**
 * Reads a body up to `maxBytes`, counting while the stream arrives: a longer one is abandoned at
 * the first chunk over the limit (never buffered whole) and gives `undefined`.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A body that could not be read as its content type says: the `message` says why. */
export class MalformedBody {
  constructor(readonly message: string) {}
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes as UTF-8 text, or a {@link MalformedBody} for bytes that are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | MalformedBody {
  try {
    return utf8.decode(bytes);
  } catch {
    return new MalformedBody('the body is not valid UTF-8');
  }
}

/**
 * The fields of a body: a record of field name to value (a form's values are strings; JSON's
 * may be anything). A field given twice in a form is malformed.
 */
export function parseBody(kind: BodyKind, bytes: Uint8Array): Map<string, unknown> | MalformedBody {
  const text = decodeUtf8(bytes);
  if (text instanceof MalformedBody) return text;
  if (kind === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return new MalformedBody('the body is not valid JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return new MalformedBody('the body must be a JSON object');
    }
    return new Map(Object.entries(value));
  }
  const fields = new Map<string, unknown>();
  if (text === '') return fields;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = formDecode(at === -1 ? pair : pair.slice(0, at));
    const value = formDecode(at === -1 ? '' : pair.slice(at + 1));
    if (name instanceof MalformedBody) return name;
    if (value instanceof MalformedBody) return value;
    if (fields.has(name)) return new MalformedBody(`the field "${name.slice(0, 40)}" is given twice`);
    fields.set(name, value);
  }
  return fields;
}

/** One form-urlencoded name or value: `+` is a space, `%XX` a byte; the bytes must be UTF-8. */
function formDecode(text: string): string | MalformedBody {
  const spaced = text.replaceAll('+', ' ');
  if (!spaced.includes('%')) return spaced;
  if (/%(?![0-9A-Fa-f]{2})/.test(spaced)) return new MalformedBody('the body has a broken %-escape');
  const bytes = new TextEncoder().encode(spaced);
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index] === 0x25) {
      out[length++] = Number.parseInt(String.fromCharCode(bytes[index + 1]!, bytes[index + 2]!), 16);
      index += 2;
    } else {
      out[length++] = bytes[index]!;
    }
  }
  return decodeUtf8(out.subarray(0, length));
}
