-- WordNet 3.0 noun hierarchy: synsets, is-a edges, their transitive closure, lemma search keys and
-- per-synset image counts.

-- CreateEnum
CREATE TYPE "EdgeKind" AS ENUM ('hypernym', 'instance');

-- CreateTable
CREATE TABLE "synset" (
    "id" INTEGER NOT NULL,
    "wnid" VARCHAR(9) NOT NULL,
    "lemmas" TEXT[] NOT NULL,
    "gloss" TEXT NOT NULL,
    "lex_file" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "subtree_size" INTEGER NOT NULL,
    CONSTRAINT "synset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "synset_edge" (
    "parent_id" INTEGER NOT NULL,
    "child_id" INTEGER NOT NULL,
    "kind" "EdgeKind" NOT NULL,
    CONSTRAINT "synset_edge_pkey" PRIMARY KEY ("parent_id", "child_id")
);

-- CreateTable
CREATE TABLE "synset_closure" (
    "ancestor_id" INTEGER NOT NULL,
    "descendant_id" INTEGER NOT NULL,
    "distance" INTEGER NOT NULL,
    CONSTRAINT "synset_closure_pkey" PRIMARY KEY ("ancestor_id", "descendant_id")
);

-- CreateTable
CREATE TABLE "synset_lemma" (
    "synset_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    CONSTRAINT "synset_lemma_pkey" PRIMARY KEY ("synset_id", "position")
);

-- CreateTable
CREATE TABLE "synset_count" (
    "synset_id" INTEGER NOT NULL,
    "images" INTEGER NOT NULL DEFAULT 0,
    "subtree_images" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "synset_count_pkey" PRIMARY KEY ("synset_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "synset_wnid_key" ON "synset"("wnid");

-- CreateIndex
CREATE INDEX "synset_depth_idx" ON "synset"("depth");

-- CreateIndex
CREATE INDEX "synset_edge_child_id_idx" ON "synset_edge"("child_id");

-- CreateIndex
CREATE INDEX "synset_closure_descendant_id_idx" ON "synset_closure"("descendant_id");

-- CreateIndex: text_pattern_ops so that prefix search (key LIKE 'dog%') uses the index under any collation.
CREATE INDEX "synset_lemma_key_idx" ON "synset_lemma"("key" text_pattern_ops);

-- CreateIndex (SQL only, Prisma cannot express it): full-text search over glosses.
CREATE INDEX "synset_gloss_fts_idx" ON "synset" USING GIN (to_tsvector('english', "gloss"));

-- AddForeignKey
ALTER TABLE "synset_edge" ADD CONSTRAINT "synset_edge_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "synset_edge" ADD CONSTRAINT "synset_edge_child_id_fkey" FOREIGN KEY ("child_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "synset_closure" ADD CONSTRAINT "synset_closure_ancestor_id_fkey" FOREIGN KEY ("ancestor_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "synset_closure" ADD CONSTRAINT "synset_closure_descendant_id_fkey" FOREIGN KEY ("descendant_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "synset_lemma" ADD CONSTRAINT "synset_lemma_synset_id_fkey" FOREIGN KEY ("synset_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "synset_count" ADD CONSTRAINT "synset_count_synset_id_fkey" FOREIGN KEY ("synset_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
