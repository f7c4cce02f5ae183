declare const __BROADSHEET_VERSION__: string | undefined;

/** The version of broadsheet, from package.json at build time. */
export const VERSION: string =
  typeof __BROADSHEET_VERSION__ === 'string' ? __BROADSHEET_VERSION__ : '0.0.0-dev';
