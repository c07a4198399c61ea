// Next's ambient types (CSS and image imports), so `tsc` passes before the first `next build` writes
// next-env.d.ts.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
