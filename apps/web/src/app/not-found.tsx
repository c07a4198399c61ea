import Link from "next/link";

export default function NotFound() {
  return (
    <div className="empty">
      <h1>Page not found</h1>
      <p>
        Go <Link href="/">home</Link> or <Link href="/synsets">browse the hierarchy</Link>.
      </p>
    </div>
  );
}
