import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** An XML element read from an export, with its namespace resolved. */
export interface XmlElement {
  /** Namespace URI, `''` for none. */
  uri: string;
  /** Local name, without prefix. */
  local: string;
  /** Attributes by local name (exports never give two attributes the same local name). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text and CDATA (children's text excluded). */
  text: string;
  /** Children and text in document order (for XHTML content). */
  parts: Array<XmlElement | string>;
  /** Where its start tag begins: 1-based line and column. */
  line: number;
  column: number;
}

/** A position in the export and what went wrong there. */
export interface XmlProblem {
  line: number;
  column: number;
  message: string;
}

/** What {@link streamXml} calls while it reads. */
export interface XmlHandlers {
  /** The root element, once its start tag is read (without children). */
  root?: (root: XmlElement) => void;
  /** Each element at `recordDepth` (the root is depth 0), whole, once its end tag is read. */
  record: (element: XmlElement) => void | Promise<void>;
  /** Bytes read so far, after each chunk. */
  progress?: (bytesRead: number) => void;
}

/**
 * Reads an XML file as a stream and hands each element at `recordDepth` to `handlers.record`, whole,
 * then forgets it: memory holds one record at a time (an `<item>` of a WordPress export, an `<entry>`
 * of an Atom feed), never the file. The first well-formedness error stops the reading and is returned
 * with its line and column; `undefined` means the file was read to its end.
 *
 * @example
 * ```ts
 * const problem = await streamXml('export.xml', 2, { record: (item) => console.log(item.local) });
 * if (problem) console.error(`export.xml:${problem.line}:${problem.column}: ${problem.message}`);
 * ```
 */
export async function streamXml(
  file: string,
  recordDepth: number,
  handlers: XmlHandlers,
): Promise<XmlProblem | undefined> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: XmlProblem | undefined;
  const stack: XmlElement[] = [];
  const done: XmlElement[] = [];
  // Where the tag being read began: saxes reports a start tag when it reaches its `>`.
  let tagLine = 1;
  let tagColumn = 1;
  let sawRoot = false;
  let textTarget = (): XmlElement | undefined => (stack.length > recordDepth ? stack.at(-1) : undefined);

  parser.on('error', (error) => {
    problem ??= { line: parser.line, column: parser.column + 1, message: stripPosition(error.message) };
  });
  parser.on('opentagstart', (tag) => {
    // saxes has just read `<name`: the next character is at 0-based `column`, so the `<` is at
    // 1-based `column - name.length`.
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.column - tag.name.length);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      attributes[attribute.local] = attribute.value;
    }
    const element: XmlElement = {
      uri: tag.uri,
      local: tag.local,
      attributes,
      children: [],
      text: '',
      parts: [],
      line: tagLine,
      column: tagColumn,
    };
    const depth = stack.length;
    if (depth === 0) {
      sawRoot = true;
      handlers.root?.(element);
    } else if (depth > recordDepth) {
      const parent = stack.at(-1);
      parent?.children.push(element);
      parent?.parts.push(element);
    }
    stack.push(element);
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element && stack.length === recordDepth) done.push(element);
  });
  const onText = (text: string) => {
    const target = textTarget();
    if (target) {
      target.text += text;
      target.parts.push(text);
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      bytes += Buffer.byteLength(chunk);
      parser.write(chunk);
      for (const element of done.splice(0)) {
        if (problem) break;
        await handlers.record(element);
      }
      handlers.progress?.(bytes);
      if (problem) break;
    }
    if (!problem) {
      parser.close();
      for (const element of done.splice(0)) await handlers.record(element);
    }
  } finally {
    stream.destroy();
    textTarget = () => undefined;
  }
  if (!problem && !sawRoot) problem = { line: 1, column: 1, message: 'the file holds no XML element' };
  return problem;
}

/** saxes prefixes its messages with `line:column: `; the diagnostic carries those itself. */
function stripPosition(message: string): string {
  return message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
}

/** The first child with this local name (and namespace, when given). */
export function child(element: XmlElement, local: string, uri?: string): XmlElement | undefined {
  return element.children.find((node) => node.local === local && (uri === undefined || node.uri === uri));
}

/** Every child with this local name (and namespace, when given). */
export function children(element: XmlElement, local: string, uri?: string): XmlElement[] {
  return element.children.filter((node) => node.local === local && (uri === undefined || node.uri === uri));
}

/** The text of the first such child, trimmed; `undefined` when there is none. */
export function childText(element: XmlElement, local: string, uri?: string): string | undefined {
  const found = child(element, local, uri);
  return found === undefined ? undefined : found.text.trim();
}
