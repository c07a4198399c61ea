import type { Metadata } from "next";
import { LabellingSession } from "@/components/label/labelling-session";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Label" };

export default async function LabelPage() {
  await authorizePage("/label", "/label");
  return <LabellingSession />;
}
