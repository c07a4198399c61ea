import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "./testing/use-test-database.ts";

/**
 * The hand-written SQL migrations must produce exactly the schema that prisma/schema.prisma describes:
 * this compares Prisma's DMMF with what PostgreSQL reports after migrating an empty database.
 */

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string }[] }[];
    indexes: DmmfIndex[];
  };
}

/** Generated columns and their expressions as PostgreSQL prints them: Prisma cannot express GENERATED. */
const GENERATED_COLUMNS: Record<string, string> = {
  "synset.gloss_tsv": "to_tsvector('english'::regconfig, gloss)",
};

const SCALAR_UDT: Record<string, string> = {
  Int: "int4",
  BigInt: "int8",
  String: "text",
  Boolean: "bool",
  Float: "float8",
  Decimal: "numeric",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
};
const NATIVE_UDT: Record<string, string> = {
  VarChar: "varchar",
  Char: "bpchar",
  Uuid: "uuid",
  Timestamptz: "timestamptz",
  Timestamp: "timestamp",
  SmallInt: "int2",
  Real: "float4",
  DoublePrecision: "float8",
  Text: "text",
};

const schemaPath = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));
const schemaText = readFileSync(schemaPath, "utf8");
const dmmf: Dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schemaText })));
const models = dmmf.datamodel.models;
const tableOf = (model: DmmfModel) => model.dbName ?? model.name;

/**
 * `Unsupported("type")` fields, which the DMMF leaves out of its fields (it keeps them in indexes), read from
 * the schema's text: model name → field name → its column, database type and whether it is optional.
 */
const unsupportedFields = new Map<string, Map<string, { column: string; udt: string; nullable: boolean }>>();
for (const [, model, body] of schemaText.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
  for (const [, name, udt, optional, rest] of (body as string).matchAll(
    /^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?(.*)$/gm,
  )) {
    const fields = unsupportedFields.get(model as string) ?? new Map();
    const column = /@map\("([^"]+)"\)/.exec(rest as string)?.[1] ?? (name as string);
    fields.set(name as string, { column, udt: udt as string, nullable: optional === "?" });
    unsupportedFields.set(model as string, fields);
  }
}

const columnOf = (model: DmmfModel, fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName);
  return field?.dbName ?? unsupportedFields.get(model.name)?.get(fieldName)?.column ?? fieldName;
};

describe("migrations match prisma/schema.prisma", () => {
  const database = useTestDatabase("arbor_migrated");
  let client: pg.Client;
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await client.query<T>(sql, params)).rows;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(() => client.end()); // registered after useTestDatabase's, so it runs before the drop

  it("has exactly the models' tables", async () => {
    const tables = await q<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(models.map(tableOf).sort());
  });

  it("has exactly the enums", async () => {
    const rows = await q<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const expected = dmmf.datamodel.enums.map((e) => ({
      name: e.dbName ?? e.name,
      labels: e.values.map((v) => v.name),
    }));
    expect(rows.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      expected.sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  for (const model of models) {
    it(`${model.name}: columns, types and nullability`, async () => {
      const columns = await q<{
        column_name: string;
        udt_name: string;
        is_nullable: string;
        character_maximum_length: number | null;
      }>(
        `SELECT column_name, udt_name, is_nullable, character_maximum_length FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1`,
        [tableOf(model)],
      );
      const actual = Object.fromEntries(
        columns.map((c) => [
          c.column_name,
          { udt: c.udt_name, nullable: c.is_nullable === "YES", length: c.character_maximum_length },
        ]),
      );
      const expected = Object.fromEntries(
        model.fields
          .filter((f) => f.kind === "scalar" || f.kind === "enum")
          .map((f) => {
            const enumType = dmmf.datamodel.enums.find((e) => e.name === f.type);
            const base = f.nativeType
              ? NATIVE_UDT[f.nativeType[0]]
              : enumType
                ? (enumType.dbName ?? enumType.name)
                : SCALAR_UDT[f.type];
            const length =
              f.nativeType && ["VarChar", "Char"].includes(f.nativeType[0]) ? Number(f.nativeType[1][0]) : null;
            return [f.dbName ?? f.name, { udt: f.isList ? `_${base}` : base, nullable: !f.isRequired, length }];
          })
          .concat(
            [...(unsupportedFields.get(model.name)?.values() ?? [])].map((f) => [
              f.column,
              { udt: f.udt, nullable: f.nullable, length: null },
            ]),
          ),
      );
      expect(actual).toEqual(expected);
    });

    it(`${model.name}: primary key, unique and normal indexes`, async () => {
      const rows = await q<{ name: string; unique: boolean; primary: boolean; columns: string[] }>(
        `SELECT i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
                array_agg(a.attname ORDER BY k.ord)::text[] AS columns
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         WHERE t.relname = $1
         GROUP BY i.relname, ix.indisunique, ix.indisprimary`,
        [tableOf(model)],
      );
      const describe = (kind: string, columns: (string | null)[]) => `${kind}(${columns.join(",")})`;
      const actual = rows.map((r) => describe(r.primary ? "id" : r.unique ? "unique" : "normal", r.columns)).sort();
      const expected = dmmf.datamodel.indexes
        .filter((i) => i.model === model.name)
        .map((i) =>
          describe(
            i.type,
            i.fields.map((f) => columnOf(model, f.name)),
          ),
        )
        .sort();
      expect(actual).toEqual(expected);
    });

    it(`${model.name}: foreign keys`, async () => {
      const rows = await q<{ columns: string[]; target: string; target_columns: string[] }>(
        `SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS columns, rt.relname AS target,
                array_agg(ra.attname ORDER BY k.ord)::text[] AS target_columns
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, refnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         JOIN pg_attribute ra ON ra.attrelid = rt.oid AND ra.attnum = k.refnum
         WHERE c.contype = 'f' AND t.relname = $1
         GROUP BY c.oid, rt.relname`,
        [tableOf(model)],
      );
      const actual = rows.map((r) => `${r.columns.join(",")}->${r.target}(${r.target_columns.join(",")})`).sort();
      const expected = model.fields
        .filter((f) => f.kind === "object" && f.relationFromFields && f.relationFromFields.length > 0)
        .map((f) => {
          const target = models.find((m) => m.name === f.type) as DmmfModel;
          const from = (f.relationFromFields as string[]).map((name) => columnOf(model, name));
          const to = (f.relationToFields as string[]).map((name) => columnOf(target, name));
          return `${from.join(",")}->${tableOf(target)}(${to.join(",")})`;
        })
        .sort();
      expect(actual).toEqual(expected);
    });
  }

  it("has exactly the generated columns, with their expressions", async () => {
    const rows = await q<{ name: string; expression: string }>(
      `SELECT table_name || '.' || column_name AS name, generation_expression AS expression
       FROM information_schema.columns WHERE table_schema = 'public' AND is_generated = 'ALWAYS'`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.expression]))).toEqual(GENERATED_COLUMNS);
  });
});
