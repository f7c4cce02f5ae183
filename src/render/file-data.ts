import type { VFile } from 'vfile';
import type { DocumentInfo } from './document-info';
import type { AssetProblem, PostAssets } from './rehype-assets';

/** What one document's render passes between the caller and the plugins, on `file.data.broadsheet`. */
export interface RenderFileData {
  /** The absolute URL of the page the HTML appears on. */
  baseUrl?: string;
  /** A post's own files, when they are to be checked (see `rehypePostAssets`). */
  assets?: PostAssets;
  /** Relative references that cannot be published, filled in by `rehypePostAssets`. */
  assetProblems?: AssetProblem[];
  /** Filled in by the last step of the pipeline. */
  info?: DocumentInfo;
}

/** The render data of `file`, created empty on first use. */
export function renderData(file: VFile): RenderFileData {
  const data = file.data as { broadsheet?: RenderFileData };
  data.broadsheet ??= {};
  return data.broadsheet;
}
