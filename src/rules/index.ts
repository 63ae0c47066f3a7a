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
import type { Rule, WorkspaceRule } from "./rule.js";
import { sectionOrder } from "./section-order.js";
import { specTitle } from "./spec-title.js";
import { statusTransition } from "./status-transition.js";
import { uniqueFeatureId } from "./unique-feature-id.js";
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

/** Rules over the whole workspace. */
export const workspaceRules: readonly WorkspaceRule[] = [uniqueFeatureId];

/** The id the parser's own diagnostics carry. */
export const PARSE_RULE = {
  id: "parse",
  description: "The file is a technical specification the parser can read (title or Overview metadata; closed code fences).",
  defaultSeverity: "error" as const,
};

/** Every rule id a configuration may name. */
export const ruleIds: readonly string[] = [...rules.map((r) => r.id), ...workspaceRules.map((r) => r.id)];
