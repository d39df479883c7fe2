/**
 * Data access the services share: the document service typed for the shapes Mosaic reads (Strapi
 * types it from an app's generated UID map, which a plugin does not have, so the one cast is
 * here), table and column names for the knex queries of the hot tables, counters that add to
 * the stored value, and retries for concurrent writes.
 */
import type { Core } from '@strapi/strapi';

export type Knex = Core.Strapi['db']['connection'];
export type Row = Record<string, unknown>;
type Params = Record<string, unknown>;

/** Strapi's document service for one content type, answering in the shape the caller reads. */
export interface Documents {
  findMany<T = Row>(params?: Params): Promise<T[]>;
  findFirst<T = Row>(params?: Params): Promise<T | null>;
  findOne<T = Row>(params: Params): Promise<T | null>;
  count(params?: Params): Promise<number>;
  create<T = Row>(params: Params): Promise<T>;
  update<T = Row>(params: Params): Promise<T | null>;
  publish(params: Params): Promise<unknown>;
  delete(params: Params): Promise<unknown>;
}

export function documents(strapi: Core.Strapi, uid: string): Documents {
  return strapi.documents(uid as never) as unknown as Documents;
}

/** One field of a content type's or component's schema, as Mosaic reads it. */
export interface SchemaAttribute {
  type: string;
  private?: boolean;
  target?: string;
  component?: string;
  components?: string[];
}

/** The fields of a content type or a component (undefined when no such model is loaded). */
export function attributesOf(
  strapi: Core.Strapi,
  uid: string
): Record<string, SchemaAttribute> | undefined {
  const model = strapi.contentTypes[uid as never] ?? strapi.components[uid as never];
  return (model as { attributes?: Record<string, SchemaAttribute> } | undefined)?.attributes;
}

/** Table and column names as Strapi mapped them, so queries follow whatever naming it uses. */
export function tableOf(strapi: Core.Strapi, uid: string) {
  const meta = strapi.db.metadata.get(uid as never);
  const column = (attribute: string) =>
    (meta.attributes[attribute] as { columnName?: string }).columnName ?? attribute;
  /** Strapi's own timestamp columns, filled as its query layer would fill them. */
  const stamps = (at: Date) =>
    Object.fromEntries(
      ['createdAt', 'updatedAt', 'publishedAt']
        .filter((attribute) => attribute in meta.attributes)
        .map((attribute) => [column(attribute), at])
    );
  /** `column + n`, qualified so PostgreSQL reads the stored row, not the proposed one. */
  const plus = (attribute: string, n: number) =>
    strapi.db.connection.raw('??.?? + ?', [meta.tableName, column(attribute), n]);
  return { name: meta.tableName, column, stamps, plus };
}

/** Deadlocks and busy databases under concurrent writes for one visitor: the batch is retried. */
const RETRYABLE =
  /deadlock|SQLITE_BUSY|40P01|40001|ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT|could not serialize/i;

export async function withRetry<T>(work: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message}`;
      if (attempt >= attempts || !RETRYABLE.test(text)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
