import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "./errors.js";

/** Reads a spec file as UTF-8, refusing what cannot be a spec: too large, binary or empty. */
export function readSpecFile(path: string, display: string, maxFileSize: number): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    throw new InputError(`${display}: cannot read (${describeErrno(err)})`, { cause: err });
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxFileSize) {
      throw new InputError(`${display}: file is ${mb(size)}, over the ${mb(maxFileSize)} limit for a spec (raise "maxFileSize" in techspec.config.json if it is really one spec)`);
    }
    if (size === 0) throw new InputError(`${display}: empty file (start from the template with: techspec new "Title")`);
    const buf = Buffer.allocUnsafe(size);
    let n = 0;
    while (n < size) {
      const r = readSync(fd, buf, n, size - n, n);
      if (r === 0) break;
      n += r;
    }
    const bytes = buf.subarray(0, n);
    const probe = bytes.subarray(0, 8192);
    if (probe.includes(0)) throw new InputError(`${display}: binary file, not Markdown text`);
    const text = bytes.toString("utf8");
    if (text.trim() === "") throw new InputError(`${display}: empty file (start from the template with: techspec new "Title")`);
    return text;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${display}: cannot read (${describeErrno(err)})`, { cause: err });
  } finally {
    closeSync(fd);
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** A short human reason for a file-system error. */
export function describeErrno(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM": return "permission denied";
    case "ENOENT": return "no such file";
    case "EISDIR": return "is a directory";
    case "ELOOP": return "symbolic link loop";
    default: return code ?? (err as Error).message;
  }
}
