import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { generatedFiles } from "../scripts/generated-files.js";

for (const [path, content] of Object.entries(generatedFiles())) {
  test(`${path} is up to date (run "npm run gen")`, () => {
    assert.equal(readFileSync(path, "utf8"), content);
  });
}
