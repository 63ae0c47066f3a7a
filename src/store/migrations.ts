// The schema, as one ordered list of migrations for both engines, run with Kysely's Migrator at open.
// Names sort in the order they run; a migration, once released, is never edited: add a new one.
// Where the engines differ (identity columns, triggers, full-text search) a migration asks `engine`.

import { Migrator, sql } from "kysely";
import type { ColumnDefinitionBuilder, Kysely, Migration, MigrationProvider } from "kysely";
import type { Database, Engine } from "./schema.js";

/** An auto-numbered integer primary key: AUTOINCREMENT on SQLite (ids never reused), identity on PostgreSQL. */
function idColumn(engine: Engine): (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return engine === "sqlite"
    ? (col) => col.primaryKey().autoIncrement()
    : (col) => col.primaryKey().generatedByDefaultAsIdentity();
}

/** The migrations for `engine`, keyed by name; Kysely runs them in name order. */
export function migrations(engine: Engine): Record<string, Migration> {
  const id = idColumn(engine);
  return {
    "0001-accounts": {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable("users")
          .addColumn("id", "integer", id)
          .addColumn("email", "text", (col) => col.notNull().unique())
          .addColumn("name", "text", (col) => col.notNull())
          .addColumn("password_hash", "text")
          .addColumn("created_at", "text", (col) => col.notNull())
          .execute();

        await db.schema
          .createTable("tokens")
          .addColumn("id", "integer", id)
          .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
          .addColumn("name", "text", (col) => col.notNull())
          .addColumn("secret_hash", "text", (col) => col.notNull().unique())
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("revoked_at", "text")
          .addColumn("last_used_at", "text")
          .execute();
        await db.schema.createIndex("tokens_user_id").on("tokens").column("user_id").execute();

        await db.schema
          .createTable("sessions")
          .addColumn("id_hash", "text", (col) => col.primaryKey())
          .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
          .addColumn("csrf", "text", (col) => col.notNull())
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("expires_at", "text", (col) => col.notNull())
          .execute();
        await db.schema.createIndex("sessions_user_id").on("sessions").column("user_id").execute();

        await db.schema
          .createTable("sign_in_attempts")
          .addColumn("id", "integer", id)
          .addColumn("key", "text", (col) => col.notNull())
          .addColumn("ok", "integer", (col) => col.notNull().check(sql`ok in (0, 1)`))
          .addColumn("at", "text", (col) => col.notNull())
          .execute();
        await db.schema.createIndex("sign_in_attempts_key_at").on("sign_in_attempts").columns(["key", "at"]).execute();
      },
    },

    "0002-comments": {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable("comments")
          .addColumn("id", "integer", id)
          .addColumn("spec_id", "text", (col) => col.notNull())
          .addColumn("parent_id", "integer", (col) => col.references("comments.id"))
          .addColumn("author_id", "integer", (col) => col.notNull().references("users.id"))
          .addColumn("body", "text", (col) => col.notNull())
          .addColumn("heading", "text", (col) => col.notNull())
          .addColumn("start_line", "integer", (col) => col.notNull())
          .addColumn("end_line", "integer", (col) => col.notNull())
          .addColumn("quote", "text", (col) => col.notNull())
          .addColumn("revision", "text", (col) => col.notNull())
          .addColumn("outdated", "integer", (col) => col.notNull().defaultTo(0).check(sql`outdated in (0, 1)`))
          .addColumn("resolved", "integer", (col) => col.notNull().defaultTo(0).check(sql`resolved in (0, 1)`))
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("updated_at", "text", (col) => col.notNull())
          .execute();
        await db.schema.createIndex("comments_spec_id").on("comments").columns(["spec_id", "id"]).execute();
        await db.schema.createIndex("comments_parent_id").on("comments").column("parent_id").execute();
      },
    },

    "0003-audit": {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable("audit")
          .addColumn("id", "integer", id)
          .addColumn("at", "text", (col) => col.notNull())
          .addColumn("actor_id", "integer")
          .addColumn("actor", "text", (col) => col.notNull())
          .addColumn("action", "text", (col) => col.notNull())
          .addColumn("spec_id", "text")
          .addColumn("revision", "text")
          .addColumn("address", "text")
          .addColumn("detail", "text")
          .execute();
        await db.schema.createIndex("audit_spec_id").on("audit").columns(["spec_id", "id"]).execute();

        // Append-only: the engine itself refuses to change or remove a line.
        if (engine === "sqlite") {
          await sql`create trigger audit_no_update before update on audit
            begin select raise(abort, 'the audit log is append-only: UPDATE refused'); end`.execute(db);
          await sql`create trigger audit_no_delete before delete on audit
            begin select raise(abort, 'the audit log is append-only: DELETE refused'); end`.execute(db);
        } else {
          await sql`create function audit_append_only() returns trigger language plpgsql as $$
            begin raise exception 'the audit log is append-only: % refused', tg_op; end $$`.execute(db);
          await sql`create trigger audit_no_change before update or delete on audit
            for each row execute function audit_append_only()`.execute(db);
          await sql`create trigger audit_no_truncate before truncate on audit
            for each statement execute function audit_append_only()`.execute(db);
        }
      },
    },

    "0004-search": {
      async up(db: Kysely<any>) {
        if (engine === "sqlite") {
          // unicode61 folds case and diacritics; only title and body are indexed (the store matches
          // the Feature ID itself). Ranking: bm25(search, 0, 0, 10, 0, 1), see kysely-store.ts.
          await sql`create virtual table search using fts5(
            spec_id unindexed, path unindexed, title, status unindexed, body,
            tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
        } else {
          // 'simple' (no stemming, no stop words) so both engines match the same words.
          await db.schema
            .createTable("search")
            .addColumn("spec_id", "text", (col) => col.primaryKey())
            .addColumn("path", "text", (col) => col.notNull())
            .addColumn("title", "text", (col) => col.notNull())
            .addColumn("status", "text")
            .addColumn("body", "text", (col) => col.notNull())
            .addColumn("document", sql`tsvector`, (col) =>
              col
                .generatedAlwaysAs(
                  sql`setweight(to_tsvector('simple', spec_id || ' ' || title), 'A') || setweight(to_tsvector('simple', body), 'D')`,
                )
                .stored(),
            )
            .execute();
          await db.schema.createIndex("search_document").on("search").using("gin").column("document").execute();
        }
      },
    },
    "0005-pending-writes": {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable("pending_writes")
          .addColumn("id", "integer", id)
          .addColumn("spec_id", "text", (col) => col.notNull())
          .addColumn("path", "text", (col) => col.notNull())
          .addColumn("action", "text", (col) => col.notNull())
          .addColumn("actor_id", "integer", (col) => col.notNull())
          .addColumn("base", "text", (col) => col.notNull())
          .addColumn("target", "text", (col) => col.notNull())
          .addColumn("message", "text", (col) => col.notNull())
          .addColumn("detail", "text")
          .addColumn("address", "text")
          .addColumn("at", "text", (col) => col.notNull())
          .execute();
      },
    },
    "0006-search-keys": {
      // Finding a spec's row by its Feature ID without reading every row: on SQLite the Feature ID becomes an
      // indexed column of the FTS5 table (the index is rebuilt from the files at every start anyway), on PostgreSQL
      // an index on lower(spec_id).
      async up(db: Kysely<any>) {
        if (engine === "sqlite") {
          await sql`drop table search`.execute(db);
          await sql`create virtual table search using fts5(
            spec_id, path unindexed, title, status unindexed, body,
            tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
        } else {
          await sql`create index search_spec_id_lower on search (lower(spec_id))`.execute(db);
        }
      },
    },
  };
}

/** A MigrationProvider over the in-code list. */
export function migrationProvider(engine: Engine): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(engine)) };
}

/** Runs the migrations not yet applied (none, when the schema is current); throws on the first failure. */
export async function migrate(db: Kysely<Database>, engine: Engine): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(engine) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed === undefined ? `Migrating the database failed: ${reason}` : `Migration ${failed} failed: ${reason}`, { cause: error });
  }
}
