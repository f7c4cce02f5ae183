/**
 * The identity of some code for a cache's key: the functions' source text, without the number a
 * bundler appends to a name it renames (`tooComplex2`), which differs between bundles of the same
 * code (the CLI's and the library's chunks), so that both find the same entries. Names that differ
 * only in digits count as one, which only makes the identity coarser by edits no real change of the
 * code makes alone.
 *
 * @example
 * ```ts
 * codeIdentity([parseFrontMatterFile, parseYaml]); // the same text in dist/cli.js and dist/index.js
 * ```
 */
export function codeIdentity(functions: readonly ((...args: never[]) => unknown)[]): string {
  return functions.map((code) => withoutRenames(code.toString())).join('\n');
}

/** Source text without the digits at the end of names (see {@link codeIdentity}). */
export function withoutRenames(source: string): string {
  return source.replace(/\b([A-Za-z_$][\w$]*?)\d+\b/g, '$1');
}
