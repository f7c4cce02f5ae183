// docs/benchmarks.md is written by several scripts. Each one other than `npm run bench`'s main run
// owns a marked section, `<!-- name: written by … -->` … `<!-- /name -->`; the main run owns the
// rest. These helpers let a script rewrite its own part and keep every other section verbatim.

/** The opening marker of a section: `<!-- name: … -->` on a line of its own. */
const OPENING = /^<!-- ([a-z][a-z0-9-]*): [^\n]*-->$/gm;

/**
 * Every marked section of `text`, in order: its name and its text from the opening marker to the
 * end of the closing one (`<!-- /name -->`). An opening marker without its closing one is not a
 * section (its text then belongs to the main part).
 *
 * @example
 * ```js
 * markedSections('# B\n<!-- a: by x -->\nA\n<!-- /a -->\n'); // [{ name: 'a', text: '<!-- a: by x -->\nA\n<!-- /a -->' }]
 * ```
 */
export function markedSections(text) {
  const sections = [];
  let from = 0;
  for (const match of text.matchAll(OPENING)) {
    if (match.index < from) continue;
    const closing = `<!-- /${match[1]} -->`;
    const end = text.indexOf(closing, match.index);
    if (end === -1) continue;
    sections.push({ name: match[1], text: text.slice(match.index, end + closing.length) });
    from = end + closing.length;
  }
  return sections;
}

/**
 * The document with `main` (the main run's part) and after it every marked section of `previous`,
 * verbatim and in their order, except those named in `drop`; `extra` (marked sections, by name)
 * replaces the section of the same name or is added after the others.
 *
 * @example
 * ```js
 * keepSections(previous, renderedMainPart); // a main run
 * keepSections(previous, mainPartOf(previous), { scale: newScaleSection }); // a scale run
 * ```
 */
export function keepSections(previous, main, extra = {}) {
  const kept = markedSections(previous).map((section) =>
    section.name in extra ? { name: section.name, text: extra[section.name] } : section,
  );
  for (const [name, text] of Object.entries(extra)) {
    if (!kept.some((section) => section.name === name)) kept.push({ name, text });
  }
  return `${[main.trimEnd(), ...kept.map((section) => section.text)].join('\n\n')}\n`;
}

/** The main run's part of `text`: the text outside every marked section. */
export function mainPartOf(text) {
  let rest = text;
  for (const section of markedSections(text)) rest = rest.replace(section.text, '');
  return rest.replace(/\n{3,}/g, '\n\n');
}
