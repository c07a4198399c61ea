-- Search ranks gloss hits with ts_rank, which reparsed every matching gloss when the tsvector was only an
-- index expression: 65 ms for "animal" (747 glosses) on the 82,115 synsets, against 1 ms from a stored column
-- (issue 14, browse at ImageNet size). The column is generated, so nothing writes it.
ALTER TABLE "synset" ADD COLUMN "gloss_tsv" tsvector GENERATED ALWAYS AS (to_tsvector('english', "gloss")) STORED;

DROP INDEX "synset_gloss_fts_idx";
CREATE INDEX "synset_gloss_fts_idx" ON "synset" USING GIN ("gloss_tsv");
