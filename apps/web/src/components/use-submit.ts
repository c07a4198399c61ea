"use client";

import { type FormEvent, useCallback, useRef, useState } from "react";

/**
 * The one form-submit pattern: `onSubmit` (not a form action: React resets a form after its action runs,
 * which would wipe what the user typed when the server refuses it), a busy state that also ignores a second
 * submit while the first runs, and the error that refused it (an `ApiError` from `api-client.ts` carries the
 * API's message and `detail`).
 *
 * `action` receives the form's fields; it calls the API and then navigates or refreshes; whatever it throws
 * becomes `error`. `run` does the same for a button outside the submit (a preview, a block toggle), with
 * `pending` naming which of them is running.
 */
export function useSubmit(action?: (form: FormData) => Promise<void>) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const running = useRef(false);

  const run = useCallback(async (task: () => Promise<void>, name = "submit"): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setPending(name);
    setError(null);
    try {
      await task();
      return true;
    } catch (thrown) {
      setError(thrown instanceof Error ? thrown : new Error(String(thrown)));
      return false;
    } finally {
      running.current = false;
      setPending(null);
    }
  }, []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (action) void run(() => action(form));
  };

  return { onSubmit, run, busy: pending !== null, pending, error };
}
