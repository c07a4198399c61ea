import wnids from "./ilsvrc2012-classes.json" with { type: "json" };

/**
 * The ILSVRC-2012 classification classes (1000 wnids, sorted by wnid — NOT the devkit's ILSVRC2012_ID order of
 * map_clsloc.txt, which challenges use for class indices), taken from the
 * challenge's synset_words.txt (see ../shared/data/imagenet-meta/SOURCE.md). Shipped with the code so the
 * preset works on machines without that data.
 */
export const ILSVRC2012_WNIDS: readonly string[] = wnids;
