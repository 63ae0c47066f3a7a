export type * from "./diagnostic.js";
export type * from "./position.js";
export type * from "./spec.js";
export type * from "./source.js";
export { spanOf } from "./position.js";
export { compareDiagnostics, compareStrings, sortDiagnostics } from "./diagnostic.js";
