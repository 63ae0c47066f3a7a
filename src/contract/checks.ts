// The named checks of `techspec verify`, by what is verified: their ids are the findings' rules, selectable with
// --checks and --exclude-checks. Listed apart from the verifiers so that the CLI loads no driver to read them.
import type { ContractCheck } from "./finding.js";

/** The checks of `verify --base-url`. */
export const HTTP_CHECKS: readonly ContractCheck[] = [
  { id: "status-documented", description: "The service answers with a status the spec lists, and the documented example request gets the documented success status.", defaultSeverity: "error" },
  { id: "response-schema", description: "A success body matches the schema the OpenAPI exporter infers from the example and the entity's field types, formats and enums; an undocumented field is a warning.", defaultSeverity: "error" },
  { id: "content-type", description: "A body comes with the documented media type (application/problem+json counts as JSON for error responses).", defaultSeverity: "error" },
  { id: "not-a-server-error", description: "No request gets a 5xx status, a timeout or a broken connection.", defaultSeverity: "error" },
  { id: "errors-documented", description: "A request for an unknown id gets the documented 404; one without credentials gets the documented 401.", defaultSeverity: "error" },
];

const check = (id: string, description: string): ContractCheck => ({ id, description, defaultSeverity: "error" });

/** The checks of `verify --database-url`, in the order they are documented. */
export const DATABASE_CHECKS: readonly ContractCheck[] = [
  check("db-table", "Every entity has its table in the database, and the database has no table the Data Model does not declare."),
  check("db-column", "Every field has its column, and no table has a column its entity does not declare."),
  check("db-type", "Each column has the type techspec export sql gives the field."),
  check("db-nullable", "Required fields are NOT NULL columns; optional fields allow NULL."),
  check("db-default", "Each column has the field's Default, and no column has a default the field does not declare."),
  check("db-primary-key", "Each table's primary key is made of the entity's Primary key fields."),
  check("db-unique", "Unique fields have a UNIQUE constraint or unique index, and other columns have none."),
  check("db-foreign-key", "Foreign key fields reference the declared table and column, and the database has no other foreign keys."),
  check("db-index", "Indexed fields have an index; an index on a column that is not Indexed is a warning."),
];

/** The checks of `verify --openapi`, one per area of the diff; a breaking difference is an error, another a warning. */
export const OPENAPI_CHECKS: readonly ContractCheck[] = [
  { id: "openapi-operation", description: "Every API of the spec is an operation (method and path) of the OpenAPI document, and every operation is an API of the spec.", defaultSeverity: "error" },
  { id: "openapi-parameter", description: "An operation's parameters (path, query, header) have the spec's names and types.", defaultSeverity: "error" },
  { id: "openapi-request", description: "An operation's request body has the spec's media type and fields, each of the spec's JSON type (the document's example, or one drawn from its schema).", defaultSeverity: "error" },
  { id: "openapi-response", description: "An operation's success response has the spec's media type and fields, each of the spec's JSON type.", defaultSeverity: "error" },
  { id: "openapi-status", description: "An operation documents the spec's error status codes (4xx, 5xx) and no others.", defaultSeverity: "error" },
  { id: "openapi-schema", description: "The Data Model's entities are schemas of components.schemas, with the spec's fields: types, required, literal defaults and lengths.", defaultSeverity: "error" },
];
