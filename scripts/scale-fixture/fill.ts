/**
 * Scale fixture: fills a database (WordNet imported, nothing else) with ImageNet's shape, in SQL
 * (INSERT … SELECT generate_series), in minutes: the default 1.28 M + 0.32 M images took 243 s on the 2-core
 * dev machine (image rows 108 s, links 82 s, counts 1 s, campaigns/tasks/votes 44 s, ANALYZE 8 s), and 460 s
 * with its load average at 20 (helper-measured); the WordNet template it starts from is built once, ~1 min.
 *   - `images` (default 1,281,167, ILSVRC-2012 train's size) images, each with one verified link to one of
 *     the 1000 ILSVRC-2012 classes (round robin), so the ILSVRC-2012 dataset preset selects them all;
 *   - `candidates` (default images / 4) more images, each a candidate link (every 10th rejected) on one of
 *     20,841 other synsets (ImageNet-21k's 21,841 synsets with images, the 1000 included), chosen by a hash of
 *     the wnid so the set is fixed;
 *   - votes: 3 annotators vote on every second candidate, through one paused campaign per candidate synset
 *     (campaign items carry the yes/no tallies).
 * Every image row points at the blob keys of a few real sample JPEGs: with `blobDir` they are ingested
 * through the product into that folder (so originals and thumbnails open); without it the keys name blobs
 * that do not exist. Counts (synset_count) are updated by one statement from the new links, exact because
 * each new image has exactly one link (distinct images in a subtree = links in it); `verifyCounts` proves it
 * with the product's recount (`arbor counts verify`).
 *   npx tsx scripts/scale-fixture/fill.ts --url postgres://… [--images N] [--candidates N] [--blob-dir DIR] [--verify]
 *   npx tsx scripts/scale-fixture/fill.ts [--images N]   (no --url: builds or reuses the kept fixture database
 *     arbor_scale_<images>_<candidates> on the test server, see ensureScaleFixture, and prints its URL)
 */
import { cp, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ILSVRC2012_WNIDS } from "@arbor/core";
import { createDb } from "@arbor/db";
import { MIGRATIONS_DIR, runMigrations } from "@arbor/db/migrate";
import { databaseUrl, startTestServer } from "@arbor/db/testing";
import { LocalDiskStore } from "@arbor/storage";
import { campaignPolicySchema, createUser } from "@arbor/usecases";
import { createIngestRun, executeIngestRun, recountSynsetCounts } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";
import pg from "pg";

export const ILSVRC2012_TRAIN_IMAGES = 1_281_167;
/** The original every image row points at when the database holds no image to share (a blob store may hold one). */
export const FIXTURE_BLOB = "originals/fixture.jpeg";
/** ImageNet-21k (fall 2011) has images in 21,841 synsets; the ILSVRC-2012 classes are 1000 of them. */
const OTHER_SYNSETS = 20_841;
const ANNOTATORS = 3;
const SAMPLE_IMAGES = 8;
const SAMPLES = fileURLToPath(new URL("../../../shared/data/imagenet-sample-images/", import.meta.url));

export interface ScaleFixtureOptions {
  /** Images with a verified link on an ILSVRC-2012 class (default 1,281,167). */
  images?: number;
  /** Further images with one candidate (or rejected) link each on other synsets (default images / 4). */
  candidates?: number;
  /** Ingest a few real JPEGs into this blob folder and point every row at them. */
  blobDir?: string;
  /** Recount every synset's counts afterwards and throw on a mismatch (costs about as long as the fill). */
  verifyCounts?: boolean;
  onProgress?: (line: string) => void;
}

export interface ScaleFixtureResult {
  images: number;
  candidates: number;
  votes: number;
  seconds: number;
}

export async function fillScaleFixture(
  databaseUrl: string,
  options: ScaleFixtureOptions = {},
): Promise<ScaleFixtureResult> {
  const images = options.images ?? ILSVRC2012_TRAIN_IMAGES;
  const candidates = options.candidates ?? Math.floor(images / 4);
  const log = options.onProgress ?? (() => {});
  const started = performance.now();
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };

  const db = createDb(databaseUrl, 2);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (options.blobDir) await step("sample JPEGs ingested", () => ingestSamples(db, options.blobDir as string));
    const annotators: number[] = [];
    for (let i = 0; i < ANNOTATORS; i++) {
      const email = `fixture-annotator-${i}@arbor.test`;
      const user = await createUser(db, {
        email,
        password: "scale fixture: quiet purple tractor 7",
        roles: ["annotator"],
      });
      annotators.push(user.id);
    }
    await client.query("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'");
    await client.query("BEGIN");
    const base = Number((await client.query("SELECT coalesce(max(id), 0) AS id FROM image")).rows[0].id);
    await client.query(`
      CREATE TEMP TABLE fx_blob ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS k, original_key, thumbnail_key, width, height, format, bytes,
               thumbnail_width, thumbnail_height FROM image;
      INSERT INTO fx_blob SELECT 0, '${FIXTURE_BLOB}', 'thumbnails/fixture.webp', 500, 375, 'jpeg', 120000, 256, 192
        WHERE NOT EXISTS (SELECT 1 FROM fx_blob);`);
    await client.query(
      `CREATE TEMP TABLE fx_class ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY wnid) - 1 AS k, id FROM synset WHERE wnid = ANY($1::text[]);
       CREATE TEMP TABLE fx_other ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY hashtext(wnid), id) - 1 AS k, id FROM synset
         WHERE NOT wnid = ANY($1::text[]) ORDER BY hashtext(wnid), id LIMIT ${OTHER_SYNSETS};`.replace(
        /\$1::text\[\]/g,
        `'{${ILSVRC2012_WNIDS.join(",")}}'::text[]`,
      ),
    );
    const classes = Number((await client.query("SELECT count(*) AS n FROM fx_class")).rows[0].n);
    if (classes !== 1000) throw new Error(`expected the 1000 ILSVRC-2012 classes in the hierarchy, found ${classes}`);
    const others = Number((await client.query("SELECT count(*) AS n FROM fx_other")).rows[0].n);
    const blobs = Number((await client.query("SELECT count(*) AS n FROM fx_blob")).rows[0].n);
    const total = images + candidates;

    await step(`${total} image rows`, () =>
      client.query(`
        INSERT INTO image (id, sha256, phash, phash_band0, phash_band1, phash_band2, phash_band3, width, height,
                           format, bytes, original_key, thumbnail_key, thumbnail_width, thumbnail_height, created_at)
        SELECT ${base} + g, h.sha256, h.phash,
               (h.phash & 65535)::int, ((h.phash >> 16) & 65535)::int, ((h.phash >> 32) & 65535)::int,
               ((h.phash >> 48) & 65535)::int,
               b.width, b.height, b.format, b.bytes, b.original_key, b.thumbnail_key, b.thumbnail_width,
               b.thumbnail_height, timestamptz '2011-01-01' + g * interval '1 second'
        FROM generate_series(1, ${total}) g
        CROSS JOIN LATERAL (SELECT md5(g::text) || md5((-g)::text) AS sha256,
                                   ('x' || md5(g::text || 'p'))::bit(64)::bigint AS phash) h
        JOIN fx_blob b ON b.k = g % ${blobs}`),
    );
    await client.query(`SELECT setval(pg_get_serial_sequence('image', 'id'), ${base + total})`);
    await step(`${total} image links`, () =>
      client.query(`
        INSERT INTO image_link (image_id, synset_id, state, created_at, updated_at)
        SELECT ${base} + g, c.id, 'verified', now(), now()
        FROM generate_series(1, ${images}) g JOIN fx_class c ON c.k = (g - 1) % 1000;
        INSERT INTO image_link (image_id, synset_id, state, created_at, updated_at)
        SELECT ${base} + ${images} + g, o.id,
               (CASE WHEN g % 10 = 0 THEN 'rejected' ELSE 'candidate' END)::"LinkState", now(), now()
        FROM generate_series(1, ${candidates}) g JOIN fx_other o ON o.k = (g - 1) % ${others};`),
    );
    await step("synset counts", () =>
      client.query(`
        WITH direct AS (
          SELECT synset_id, count(*) AS images,
                 count(*) FILTER (WHERE state = 'candidate') AS candidates,
                 count(*) FILTER (WHERE state = 'verified') AS verified,
                 count(*) FILTER (WHERE state = 'rejected') AS rejected
          FROM image_link WHERE image_id > ${base} GROUP BY synset_id),
        subtree AS (
          SELECT c.ancestor_id AS synset_id, sum(d.images) AS images, sum(d.verified) AS verified
          FROM direct d JOIN synset_closure c ON c.descendant_id = d.synset_id GROUP BY c.ancestor_id)
        UPDATE synset_count sc SET
          images = sc.images + coalesce(d.images, 0), candidates = sc.candidates + coalesce(d.candidates, 0),
          verified = sc.verified + coalesce(d.verified, 0), rejected = sc.rejected + coalesce(d.rejected, 0),
          subtree_images = sc.subtree_images + t.images, subtree_verified = sc.subtree_verified + t.verified
        FROM subtree t LEFT JOIN direct d ON d.synset_id = t.synset_id
        WHERE sc.synset_id = t.synset_id`),
    );
    const votes = await step("campaigns, tasks and votes", async () => {
      const policy = JSON.stringify(campaignPolicySchema.parse({}));
      await client.query(
        `CREATE TEMP TABLE fx_campaign ON COMMIT DROP AS
           WITH made AS (
             INSERT INTO campaign (synset_id, policy, status)
             SELECT id, $1::jsonb, 'paused' FROM fx_other WHERE k < ${Math.min(others, candidates)} ORDER BY k
             RETURNING id, synset_id)
           SELECT m.id, o.k FROM made m JOIN fx_other o ON o.id = m.synset_id;
         CREATE TEMP TABLE fx_task ON COMMIT DROP AS
           SELECT gen_random_uuid() AS id, c.id AS campaign_id, c.k, a.annotator_id
           FROM fx_campaign c CROSS JOIN unnest($2::int[]) AS a(annotator_id);`
          .replace(/\$1/, `'${policy}'`)
          .replace(/\$2::int\[\]/, `'{${annotators.join(",")}}'::int[]`),
      );
      await client.query(`
        INSERT INTO task (id, campaign_id, annotator_id, image_ids, created_at, lease_expires_at, submitted_at, released_at)
        SELECT id, campaign_id, annotator_id, '{}', now(), now(), now(), now() FROM fx_task;
        INSERT INTO campaign_item (campaign_id, image_id, yes, no)
        SELECT c.id, ${base} + ${images} + g, CASE WHEN g % 2 = 0 THEN 2 + (g % 3 = 0)::int ELSE 0 END,
               CASE WHEN g % 2 = 0 THEN 1 - (g % 3 = 0)::int ELSE 0 END
        FROM generate_series(1, ${candidates}) g JOIN fx_campaign c ON c.k = (g - 1) % ${others};`);
      const result = await client.query(`
        INSERT INTO vote (task_id, annotator_id, image_id, synset_id, positive, created_at)
        SELECT t.id, t.annotator_id, ${base} + ${images} + g, o.id,
               t.annotator_id <> ${annotators[2]} OR g % 3 = 0, now()
        FROM generate_series(2, ${candidates}, 2) g
        JOIN fx_other o ON o.k = (g - 1) % ${others}
        JOIN fx_task t ON t.k = o.k`);
      return result.rowCount ?? 0;
    });
    await step("commit", () => client.query("COMMIT"));
    await step("analyze", () =>
      client.query("ANALYZE image; ANALYZE image_link; ANALYZE synset_count; ANALYZE vote; ANALYZE campaign_item"),
    );
    if (options.verifyCounts) {
      const mismatches = await step("counts verified (recount)", () => recountSynsetCounts(db));
      if (mismatches.length > 0) throw new Error(`count mismatches: ${JSON.stringify(mismatches.slice(0, 5))}`);
    }
    return { images, candidates, votes, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
    await db.$disconnect();
  }
}

/** Bump when fillScaleFixture writes different rows, so kept fixture databases are rebuilt. */
const FIXTURE_VERSION = "arbor-scale-fixture 2";

/**
 * A filled fixture database on the test server, built once (cloned from the WordNet template, then filled)
 * and kept between runs, named by its size, so a re-run of a benchmark costs nothing. Migrations added since
 * it was built are applied to it, as to a deployed database, rather than rebuilding (a rebuild is ~5 min).
 * The benchmark reads it in place (its routes only read): treat it as read-only and clone it
 * (createDatabaseFrom) to write.
 */
export async function ensureScaleFixture(
  adminUrl: string,
  options: Omit<ScaleFixtureOptions, "blobDir" | "verifyCounts"> = {},
): Promise<{ name: string; url: string }> {
  const images = options.images ?? ILSVRC2012_TRAIN_IMAGES;
  const candidates = options.candidates ?? Math.floor(images / 4);
  const name = `arbor_scale_${images}_${candidates}`;
  const url = databaseUrl(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    const { rows } = await admin.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows[0]?.comment !== FIXTURE_VERSION) {
      await prepareWordnetTemplate(adminUrl);
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.query(
        `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(WORDNET_TEMPLATE)}`,
      );
      await fillScaleFixture(url, { ...options, images, candidates });
      // Written last: a fill killed half-way leaves no version and is redone.
      await admin.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(name)} IS ${pg.escapeLiteral(FIXTURE_VERSION)}`);
    }
    await runMigrations(url, MIGRATIONS_DIR);
  } finally {
    await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [name]).catch(() => {});
    await admin.end();
  }
  return { name, url };
}

/** A few real sample photos through the product's ingest, so the fixture's blob keys open real bytes. */
async function ingestSamples(db: ReturnType<typeof createDb>, blobDir: string): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), "arbor-scale-samples-"));
  try {
    const files = (await readdir(SAMPLES)).filter((f) => f.endsWith(".JPEG")).slice(0, SAMPLE_IMAGES);
    for (const file of files) await cp(path.join(SAMPLES, file), path.join(folder, file));
    await mkdir(blobDir, { recursive: true });
    const blobs = await LocalDiskStore.open(blobDir, { publicBaseUrl: "http://localhost" });
    const run = await createIngestRun(db, { kind: "folder", path: folder, trusted: true });
    await executeIngestRun({ db, blobs }, run.id);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      images: { type: "string" },
      candidates: { type: "string" },
      "blob-dir": { type: "string" },
      verify: { type: "boolean", default: false },
    },
  });
  const sizes = {
    ...(values.images ? { images: Number(values.images) } : {}),
    ...(values.candidates ? { candidates: Number(values.candidates) } : {}),
  };
  if (!values.url) {
    // No database named: build (or reuse) the kept fixture database on the test server and print its URL.
    const server = await startTestServer();
    try {
      console.log(JSON.stringify(await ensureScaleFixture(server.adminUrl, { ...sizes, onProgress: console.log })));
    } finally {
      await server.stop();
    }
    process.exit(0);
  }
  const result = await fillScaleFixture(values.url, {
    ...sizes,
    ...(values["blob-dir"] ? { blobDir: values["blob-dir"] } : {}),
    verifyCounts: values.verify,
    onProgress: (line) => console.log(line),
  });
  console.log(JSON.stringify(result));
}
