/** What every benchmark section receives, in its own child process. */
export interface SectionContext {
  /** The generated site root. */
  root: string;
  /** The built library, `dist/index.js`. */
  library: typeof import('../../src/index');
  /** What the generator wrote. */
  site: { posts: number; comments: number; bytes: number };
}

/** What a section measured: `items` done in `seconds`. */
export interface SectionResult {
  items: number;
  unit: string;
  seconds: number;
  /** Rows of a section that measures several cases (the worker threshold). */
  details?: { posts: number; documents: number; main: number; oneThread: number; threads: number }[];
}

/** One measured section of `npm run bench`: a module in bench/sections/ with a default export. */
export interface Section {
  name: string;
  description: string;
  run(context: SectionContext): Promise<SectionResult>;
}
