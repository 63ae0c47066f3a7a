import { apiFields } from "./api-fields.js";
import { approvalConsistent } from "./approval-consistent.js";
import { approvalFormat } from "./approval-format.js";
import { approvalProvenance } from "./approval-provenance.js";
import { approvalStale } from "./approval-stale.js";
import { approverRole } from "./approver-role.js";
import { componentDependency } from "./component-dependency.js";
import { componentFields } from "./component-fields.js";
import { emptySection } from "./empty-section.js";
import { entityTable } from "./entity-table.js";
import { exampleMatchesModel } from "./example-matches-model.js";
import { jsonBlock } from "./json-block.js";
import { lastUpdated } from "./last-updated.js";
import { metadata } from "./metadata.js";
import { noPlaceholder } from "./no-placeholder.js";
import { openQuestions } from "./open-questions.js";
import { relatedDocumentLink } from "./related-document-link.js";
import { requiredSection } from "./required-section.js";
import { inputRules } from "./input-rules.js";
import { workspaceRules } from "./lint-workspace.js";
import type { Rule } from "./rule.js";
import { sectionOrder } from "./section-order.js";
import { specTitle } from "./spec-title.js";
import { statusTransition } from "./status-transition.js";
import { unknownConstraint } from "./unknown-constraint.js";
import { unknownType } from "./unknown-type.js";

/** Every rule over one spec, in the order they run. */
export const rules: readonly Rule[] = [
  noPlaceholder,
  specTitle,
  requiredSection,
  sectionOrder,
  emptySection,
  metadata,
  relatedDocumentLink,
  componentFields,
  componentDependency,
  entityTable,
  unknownType,
  unknownConstraint,
  apiFields,
  jsonBlock,
  exampleMatchesModel,
  approvalFormat,
  approvalConsistent,
  approvalStale,
  approverRole,
  approvalProvenance,
  statusTransition,
  lastUpdated,
  openQuestions,
];

// Rules over the whole workspace, and the findings of reading and parsing a file (configured like rules).
export { workspaceRules } from "./lint-workspace.js";
export { inputRules, PARSE_RULE, TEXT_ENCODING_RULE, UNREADABLE_FILE_RULE } from "./input-rules.js";

/** Every rule id a configuration may name (and `techspec rules` lists), in that order. */
export const ruleIds: readonly string[] = [...inputRules.map((r) => r.id), ...rules.map((r) => r.id), ...workspaceRules.map((r) => r.id)];
