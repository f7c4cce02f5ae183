/** Where the dev server answers its own requests: at the origin's root, outside any site path. */
export const DEV_PREFIX = '/__broadsheet/';
/** Server-sent events: one `state` event on connection and after every build. */
export const EVENTS_PATH = `${DEV_PREFIX}events`;
/** `?path=<URL path>` → `{"hash": …}`: the hash of the bytes the dev server serves at that path. */
export const HASH_PATH = `${DEV_PREFIX}hash`;
/** The script {@link CLIENT_SCRIPT}. */
export const CLIENT_PATH = `${DEV_PREFIX}client.js`;

/**
 * The script the dev server adds to every HTML page it serves (never to a build's files). It
 * listens to the server's events: after a good build it asks for the hash of its page's bytes and
 * reloads only when they changed (a page a build did not change is left alone, scroll and all);
 * after a failed build it shows the problems over the page (file:line:column, code, message and
 * the lines around), built with `textContent` only, in a shadow root so that the site's styles do
 * not reach it; the next good build removes it.
 */
export const CLIENT_SCRIPT = `(() => {
  const script = document.currentScript;
  const loaded = script ? script.dataset.hash : '';
  const page = location.pathname;
  let host;
  const element = (parent, tag, text, style) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (style) node.setAttribute('style', style);
    parent.appendChild(node);
    return node;
  };
  const hide = () => {
    if (host) host.remove();
    host = undefined;
  };
  const show = (problems) => {
    hide();
    host = document.createElement('broadsheet-overlay');
    host.setAttribute('role', 'alert');
    const root = host.attachShadow({ mode: 'open' });
    const panel = element(root, 'div', undefined,
      'position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#eee;' +
      'font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem');
    panel.id = 'problems';
    const errors = problems.filter((p) => p.severity === 'error').length;
    element(panel, 'h1', errors === 1 ? '1 error' : errors + ' errors', 'font-size:1.25rem;margin:0 0 .25rem;color:#ff8a80');
    element(panel, 'p', 'The last good build is shown under this. Fix the file and save: this page updates.', 'margin:0 0 1.5rem;color:#bbb');
    for (const problem of problems) {
      const item = element(panel, 'section', undefined, 'margin:0 0 1.5rem');
      element(item, 'p', problem.file + ':' + problem.line + ':' + problem.column + ': ' + problem.severity + ' ' + problem.code, 'margin:0;color:' + (problem.severity === 'error' ? '#ff8a80' : '#ffd180'));
      element(item, 'p', problem.message, 'margin:0 0 .5rem;white-space:pre-wrap');
      if (problem.source.length === 0) continue;
      const width = String(problem.source[problem.source.length - 1].line).length;
      const lines = [];
      for (const { line, text } of problem.source) {
        const mark = line === problem.line ? '>' : ' ';
        lines.push(mark + ' ' + String(line).padStart(width) + ' | ' + text);
        if (line === problem.line) lines.push('  ' + ' '.repeat(width) + ' | ' + ' '.repeat(Math.max(0, problem.column - 1)) + '^');
      }
      element(item, 'pre', lines.join('\\n'), 'margin:0;padding:.75rem;background:#000;overflow-x:auto;color:#ddd');
    }
    document.documentElement.appendChild(host);
  };
  const check = async () => {
    try {
      const response = await fetch('${HASH_PATH}?path=' + encodeURIComponent(page), { cache: 'no-store' });
      const { hash } = await response.json();
      if (hash !== loaded) location.reload();
    } catch {}
  };
  const events = new EventSource('${EVENTS_PATH}');
  events.addEventListener('state', (event) => {
    const state = JSON.parse(event.data);
    if (state.ok) {
      hide();
      check();
    } else {
      show(state.problems);
    }
  });
})();
`;
