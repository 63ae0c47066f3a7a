// The findings of reading and parsing a file rather than of a rule's check, configured like rules: kept apart from
// the rules themselves, so that code which only names them (the configuration) does not load every rule.

/** The id the parser's own diagnostics carry. */
export const PARSE_RULE = {
  id: "parse",
  description: "The file is a technical specification the parser can read (title or Overview metadata; closed code fences).",
  defaultSeverity: "error" as const,
};

/** The id of a file that cannot be read as a spec at all: binary, empty, too large, unreadable, missing, not a spec. */
export const UNREADABLE_FILE_RULE = {
  id: "unreadable-file",
  description: "Every file lint is given can be read as a spec: it exists, is text, is not empty or too large, and is a technical specification.",
  defaultSeverity: "error" as const,
};

/** The id of a character read as U+FFFD: an invalid UTF-8 byte sequence or a NUL in an otherwise textual file. */
export const TEXT_ENCODING_RULE = {
  id: "text-encoding",
  description: "The file is valid UTF-8 without NUL characters; each invalid byte sequence or NUL is read as U+FFFD and reported where it is.",
  defaultSeverity: "warning" as const,
};

/** Findings of reading and parsing a file rather than of a rule's check; configured like rules. */
export const inputRules: readonly { readonly id: string; readonly description: string; readonly defaultSeverity: "error" | "warning" }[] = [
  PARSE_RULE, UNREADABLE_FILE_RULE, TEXT_ENCODING_RULE,
];
