import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { invalid } from "../errors.ts";

/** Passwords shorter than this are refused before they are estimated. */
export const MIN_PASSWORD_LENGTH = 10;
/** zxcvbn's score (0–4): 3 is "safely unguessable: moderate protection from an offline slow-hash attack". */
export const MIN_PASSWORD_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

/** zxcvbn with its common and English dictionaries, loaded on the first password set (they are a few MB). */
function zxcvbn(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return estimator;
}

/** What a password must not be built from: the email, its parts, the name and its words, and the app. */
export function personalInputs(email: string, name?: string | null): string[] {
  const words = [email, ...email.split(/[@._+-]+/), ...(name ? [name, ...name.split(/\s+/)] : []), "arbor"];
  return [...new Set(words.map((word) => word.trim().toLowerCase()).filter((word) => word.length >= 3))];
}

/**
 * Refuses a password that is short, common or built from the user's own details (`invalid`, with zxcvbn's
 * advice in the message): at least 10 characters and a zxcvbn score of 3 or more. Every path that sets a
 * password (first-run setup, `arbor user create`, any later one) calls this.
 */
export async function checkPasswordStrength(password: string, userInputs: string[]): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid(`password: passwords have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const result = (await zxcvbn()).check(password, userInputs);
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(" ");
  throw invalid(`password: too easy to guess.${advice ? ` ${advice}` : ""}`, {
    score: result.score,
    warning: result.feedback.warning,
    suggestions: result.feedback.suggestions,
  });
}
