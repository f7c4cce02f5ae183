import type { VFile } from 'vfile';
import type { DocumentInfo } from './document-info';

/** What one document's render passes between the caller and the plugins, on `file.data.broadsheet`. */
export interface RenderFileData {
  /** The absolute URL of the page the HTML appears on. */
  baseUrl?: string;
  /** Filled in by the last step of the pipeline. */
  info?: DocumentInfo;
}

/** The render data of `file`, created empty on first use. */
export function renderData(file: VFile): RenderFileData {
  const data = file.data as { broadsheet?: RenderFileData };
  data.broadsheet ??= {};
  return data.broadsheet;
}
