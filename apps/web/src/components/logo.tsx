/** Arbor's mark: a small tree (a hierarchy, drawn as one). */
export function Logo() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true">
      <circle cx="16" cy="9" r="7" fill="#6fbf8e" />
      <circle cx="9" cy="15" r="6" fill="#4f9f72" />
      <circle cx="23" cy="15" r="6" fill="#4f9f72" />
      <rect x="14.5" y="15" width="3" height="13" rx="1.5" fill="#c9a57a" />
      <path d="M16 20 L11 16 M16 18 L21 14" stroke="#c9a57a" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
