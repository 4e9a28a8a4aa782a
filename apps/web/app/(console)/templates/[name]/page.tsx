import type { Metadata } from "next";
import { TemplateDetailView } from "~/console/catalog";
import { decodeRef } from "~/console/refs";

export const metadata: Metadata = { title: "Template" };

export default async function TemplatePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const decoded = decodeRef(name);
  return <TemplateDetailView key={decoded} name={decoded} />;
}
