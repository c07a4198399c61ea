import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="empty">
      <h1>Not for your role</h1>
      <p>
        Your account may not open this page. Ask an admin for the role it needs, or go <Link href="/">home</Link>.
      </p>
    </div>
  );
}
