import { wnidSchema } from "@arbor/core";
import { z } from "zod";

/** PostgreSQL's `integer`: an id past it would be a database error, not a 404. */
export const MAX_INT4 = 2_147_483_647;

/** A numeric id as it arrives in a URL or a body (digits are accepted as a string too). */
export const idSchema = (what: string) => {
  const message = `${what} id must be a whole number from 1 to ${MAX_INT4}`;
  return z.coerce
    .number({ error: message })
    .int(message)
    .min(1, message)
    .max(MAX_INT4, message)
    .meta({ description: `${what} id` });
};

/** `{ id }` of a URL such as /images/{id}. */
export const idParams = (what: string) => z.object({ id: idSchema(what) });

export const wnidParams = z.object({
  wnid: wnidSchema.meta({ description: 'WordNet 3.0 noun synset id, "n" + 8 digits', example: "n02084071" }),
});
