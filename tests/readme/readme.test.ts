// The README's TypeScript examples are kept true: every ```ts block type-checks (strict, with the
// repository's compiler options) against the source, with `broadsheet` and `broadsheet/client`
// imports pointed at src/; and each block marked `<!-- readme-test: run -->` runs against this
// repository's own site and prints exactly the ```text block marked `<!-- readme-test: output -->`
// that follows it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { Code, Html, Root } from 'mdast';
import remarkParse from 'remark-parse';
import ts from 'typescript';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const tmp = path.join(import.meta.dirname, 'tmp');
const readmeFile = path.join(repo, 'README.md');

/** A ```ts block of the README. */
interface Example {
  /** Line of the opening fence in README.md. */
  line: number;
  code: string;
  /** Marked `<!-- readme-test: run -->`. */
  run: boolean;
  /** The marked ```text block after it: what it must print. */
  output?: string;
  /** Where the block is written as a module. */
  file: string;
}

const MARKER = /^<!--\s*readme-test:\s*(run|output)\s*-->$/;

/** Reads the ```ts blocks of a markdown document, with their markers and expected output. */
function readExamples(markdown: string, folder: string): Example[] {
  const tree = unified().use(remarkParse).parse(markdown) as Root;
  const examples: Example[] = [];
  let marker: 'run' | 'output' | undefined;
  visit(tree, (node) => {
    if (node.type === 'html') {
      const match = MARKER.exec((node as Html).value.trim());
      if (match) marker = match[1] as 'run' | 'output';
      return;
    }
    if (node.type !== 'code') return;
    const code = node as Code;
    const line = code.position?.start.line ?? 0;
    if (marker === 'output') {
      const previous = examples.at(-1);
      if (code.lang !== 'text' || !previous?.run || previous.output !== undefined) {
        throw new Error(
          `README.md:${line}: an output marker must precede a \`\`\`text block that follows a run block`,
        );
      }
      previous.output = code.value;
    } else if (code.lang === 'ts' || code.lang === 'typescript') {
      examples.push({
        line,
        code: code.value,
        run: marker === 'run',
        file: path.join(folder, `line-${line}.ts`),
      });
    } else if (marker === 'run') {
      throw new Error(`README.md:${line}: a run marker must precede a \`\`\`ts block`);
    }
    marker = undefined;
  });
  return examples;
}

/** The block as a module in `folder`, importing broadsheet from the source. */
function asModule(code: string, folder: string): string {
  const source = path.relative(folder, path.join(repo, 'src')).split(path.sep).join('/');
  const rewritten = code
    .replace(/(from\s+)'broadsheet\/client'/g, `$1'${source}/client/index'`)
    .replace(/(from\s+)'broadsheet\/comments'/g, `$1'${source}/comments/index'`)
    .replace(/(from\s+)'broadsheet'/g, `$1'${source}/index'`);
  return `${rewritten}\n\nexport {};\n`;
}

/** Type-checks modules with the repository's compiler options; returns the diagnostics in them. */
function typeCheck(files: string[]): string[] {
  const { config } = ts.readConfigFile(path.join(repo, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, repo);
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...files.flatMap((file) => {
      const sourceFile = program.getSourceFile(file);
      if (!sourceFile) throw new Error(`${file} is not in the program`);
      return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    }),
  ];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.basename(diagnostic.file.fileName)}:${line + 1}:${character + 1}: ${message}`;
  });
}

/** Imports a module and returns what it printed with console.log, one string per call. */
async function runModule(file: string): Promise<{ printed: string; errors: string }> {
  const printed: string[] = [];
  const errors: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...args: unknown[]) => void errors.push(format(...args)));
  const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`the example called process.exit(${code})`);
  }) as typeof process.exit);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    log.mockRestore();
    error.mockRestore();
    exit.mockRestore();
  }
  return { printed: printed.join('\n'), errors: errors.join('\n') };
}

const examples = readExamples(readFileSync(readmeFile, 'utf8'), tmp);

beforeAll(() => {
  // The run examples load the site at `root: '.'`: this repository.
  if (process.cwd() !== repo) process.chdir(repo);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const example of examples) writeFileSync(example.file, asModule(example.code, tmp));
});

// Generated modules must not outlive the test: `biome check` would lint them.
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('README.md', () => {
  it('has TypeScript examples, and runs the loadSite example with its printed output', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const loadSiteExample = examples.find(
      (example) => example.run && /\bloadSite\(\{ root: '\.' \}\)/.test(example.code),
    );
    expect(loadSiteExample?.output).toBeDefined();
    expect(examples.some((example) => example.code.includes("from 'broadsheet/client'"))).toBe(true);
  });

  it('type-checks every ```ts block against the source, strictly, with no diagnostics', () => {
    for (const example of examples) expect(asModule(example.code, tmp)).not.toMatch(/from\s+'broadsheet/);
    const diagnostics = typeCheck(examples.map((example) => example.file));
    expect(
      diagnostics.map((d) =>
        d.replace(/^line-(\d+)\.ts:(\d+)/, (_, block, line) => `README.md:${Number(block) + Number(line)}`),
      ),
    ).toEqual([]);
  });

  it('reports type errors (the check is not vacuous)', () => {
    const file = path.join(tmp, 'wrong.ts');
    writeFileSync(
      file,
      asModule(
        "import { loadSite } from 'broadsheet';\nconst result = await loadSite({ root: '.' });\nconst title: number = result.site.posts[0].title;\n",
        tmp,
      ),
    );
    const diagnostics = typeCheck([file]);
    expect(diagnostics.some((d) => d.includes("Property 'site' does not exist"))).toBe(true);
  });

  describe.each(examples.filter((example) => example.run).map((example) => [example.line, example] as const))(
    'the example at README.md:%i',
    (_line, example) => {
      it('runs against this repository and prints what the README shows', async () => {
        const { printed, errors } = await runModule(example.file);
        expect(errors).toBe('');
        if (example.output === undefined) expect(printed).not.toBe('');
        else expect(printed).toBe(example.output);
      });
    },
  );
});
