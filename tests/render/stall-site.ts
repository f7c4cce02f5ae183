import path from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import type { ResolvedConfig } from '../../src/schema/config';
import { temporaryFolder, writeText } from '../build/helpers';

// A remark plugin that never returns on a document holding STALL: the stand-in for markdown that
// costs far more than its size says. Plugins run in the render threads, which load the config.
const STALL_CONFIG = `
function remarkStall() {
  return (_tree: unknown, file: { value: unknown }) => {
    if (String(file.value).includes('STALL')) for (;;) {}
  };
}
export default {
  site: { title: 'Budget', url: 'https://budget.example/' },
  markdown: { remarkPlugins: [remarkStall], renderTimeoutMs: 1000 },
};
`;

/** A site root (no content yet) whose config's plugin stalls on STALL, with a render budget of 1 s. */
export async function stallSite(): Promise<string> {
  const root = path.join(await temporaryFolder(), 'site');
  await writeText(path.join(root, 'broadsheet.config.ts'), STALL_CONFIG);
  return root;
}

/** {@link stallSite} and its loaded config, as the render stage is handed them. */
export async function stallStage(): Promise<{ root: string; config: ResolvedConfig; configFile: string }> {
  const root = await stallSite();
  const loaded = await loadConfig({ root });
  if (!loaded.ok) throw new Error('the config does not load');
  return { root, config: loaded.loaded.config, configFile: 'broadsheet.config.ts' };
}
