/** Text from a request or a service for a message or a log line: control characters escaped, at most `max` characters. */
export function printable(s: string, max = 200): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
