-- Dataset versions (frozen class and split lists) and their exports.

-- CreateEnum
CREATE TYPE "DatasetSplit" AS ENUM ('train', 'val', 'test');

-- CreateEnum
CREATE TYPE "ExportFormat" AS ENUM ('imagefolder', 'jsonl', 'webdataset');

-- CreateTable
CREATE TABLE "dataset" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_version" (
    "id" SERIAL NOT NULL,
    "dataset_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "report" JSONB NOT NULL,
    "class_count" INTEGER NOT NULL,
    "image_count" INTEGER NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_class" (
    "version_id" INTEGER NOT NULL,
    "class_index" INTEGER NOT NULL,
    "synset_id" INTEGER NOT NULL,
    "train" INTEGER NOT NULL,
    "val" INTEGER NOT NULL,
    "test" INTEGER NOT NULL,
    CONSTRAINT "dataset_class_pkey" PRIMARY KEY ("version_id", "class_index")
);

-- CreateTable
CREATE TABLE "dataset_item" (
    "version_id" INTEGER NOT NULL,
    "image_id" INTEGER NOT NULL,
    "class_index" INTEGER NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    CONSTRAINT "dataset_item_pkey" PRIMARY KEY ("version_id", "image_id")
);

-- CreateTable
CREATE TABLE "export" (
    "id" SERIAL NOT NULL,
    "version_id" INTEGER NOT NULL,
    "format" "ExportFormat" NOT NULL,
    "destination" TEXT,
    "options" JSONB NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "export_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_file" (
    "export_id" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "bytes" BIGINT NOT NULL,
    CONSTRAINT "export_file_pkey" PRIMARY KEY ("export_id", "path")
);

-- CreateIndex
CREATE UNIQUE INDEX "dataset_name_key" ON "dataset"("name");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_version_dataset_id_number_key" ON "dataset_version"("dataset_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_class_version_id_synset_id_key" ON "dataset_class"("version_id", "synset_id");

-- CreateIndex
CREATE INDEX "dataset_item_version_id_split_class_index_idx" ON "dataset_item"("version_id", "split", "class_index");

-- CreateIndex
CREATE INDEX "dataset_item_image_id_idx" ON "dataset_item"("image_id");

-- CreateIndex
CREATE INDEX "export_version_id_idx" ON "export"("version_id");

-- AddForeignKey
ALTER TABLE "dataset_version" ADD CONSTRAINT "dataset_version_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_version" ADD CONSTRAINT "dataset_version_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_class" ADD CONSTRAINT "dataset_class_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_class" ADD CONSTRAINT "dataset_class_synset_id_fkey" FOREIGN KEY ("synset_id") REFERENCES "synset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_item" ADD CONSTRAINT "dataset_item_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_item" ADD CONSTRAINT "dataset_item_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export" ADD CONSTRAINT "export_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export" ADD CONSTRAINT "export_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_file" ADD CONSTRAINT "export_file_export_id_fkey" FOREIGN KEY ("export_id") REFERENCES "export"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A frozen version is immutable: its rows may be inserted (while freezing) or deleted with their dataset,
-- never changed, so an export or a paper that names version N always means the same images.
CREATE FUNCTION "refuse_frozen_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dataset versions are immutable: % cannot be updated', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER "dataset_version_immutable" BEFORE UPDATE ON "dataset_version"
  FOR EACH ROW EXECUTE FUNCTION "refuse_frozen_update"();
CREATE TRIGGER "dataset_class_immutable" BEFORE UPDATE ON "dataset_class"
  FOR EACH ROW EXECUTE FUNCTION "refuse_frozen_update"();
CREATE TRIGGER "dataset_item_immutable" BEFORE UPDATE ON "dataset_item"
  FOR EACH ROW EXECUTE FUNCTION "refuse_frozen_update"();
