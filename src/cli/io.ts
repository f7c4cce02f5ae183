/** Where a CLI command reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stderr is a terminal (progress is shown only there). */
  isTTY: boolean;
}

/** The CLI's exit codes: 0 success (warnings allowed), 1 content errors, 2 usage or config errors (docs/cli.md). */
export const EXIT = { ok: 0, contentError: 1, usageError: 2 } as const;
