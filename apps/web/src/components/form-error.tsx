/** Why the server refused a form (or a button's request), where the form shows it. */
export function FormError({ error, className = "error" }: { error: Error | null; className?: string }) {
  if (!error) return null;
  return (
    <p className={className} role="alert">
      {error.message}
    </p>
  );
}
