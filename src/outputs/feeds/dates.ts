/** RFC 3339 date-time in UTC, as Atom and JSON Feed want it; whole seconds drop the `.000`. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** RFC 822 date-time in GMT (with a four-digit year, as RFC 1123 and the RSS 2.0 profile write it). */
export function rfc822(date: Date): string {
  return date.toUTCString();
}
