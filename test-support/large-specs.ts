// Generators of one-spec inputs at the sizes the linear-time tests and `npm run bench` use: many APIs, a large
// JSON example. Each spec is a Draft with Feature ID FEAT-0001.

export const OVERVIEW = (author = "Ann Example, Engineer"): string =>
  `## Overview\n\n**Feature ID**: FEAT-0001\n**Author**: ${author}\n**Created Date**: 2026-01-05\n**Last Updated**: 2026-01-06\n**Status**: Draft\n\n`;

/** n lines made by `f`, joined. */
export const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join("\n");

/** A spec of the title, the Overview and `body`. */
export const spec = (body: string, author?: string): string => `# Technical Specification: Lin\n\n${OVERVIEW(author)}${body}`;

/** API number i + 1: a POST with a path parameter, a request body example and an error response. */
export function api(i: number, name = `Op ${i}`): string {
  return `### API ${i + 1}: ${name}\n\n- **Endpoint**: \`/r${i}/{id}\`\n- **Method**: POST\n- **Request Parameters**:\n  - id: UUID - The id\n`
    + `- **Request Body**:\n  \`\`\`json\n  {"id": "${i}", "n": ${i}}\n  \`\`\`\n- **Error Responses**:\n  - 404: Not found\n`;
}

/** A spec whose API Design has n APIs (10,000: 2.3 MB). */
export const specWithApis = (n: number): string => spec(`## API Design\n\n${lines(n, (i) => api(i))}`);

/** A spec with one API whose request body example is an array of `items` objects (80,000: 7.7 MB). */
export function jsonExample(items: number): string {
  const body = lines(items, (i) => `    {"id": ${i}, "name": "item ${i}", "tags": ["a", "b"], "nested": {"x": ${i}, "y": "yes"}}`).replace(/\n/g, ",\n");
  return spec(`## API Design\n\n### API 1: Create\n\n- **Endpoint**: \`/items\`\n- **Method**: POST\n- **Request Body**:\n  \`\`\`json\n  [\n${body}\n  ]\n  \`\`\`\n`);
}
