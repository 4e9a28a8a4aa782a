import type { Metadata } from "next";
import { TemplateDetailView } from "~/features/templates/template-detail";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Template" };

export default async function TemplatePage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeRef((await params).name);
  return <TemplateDetailView key={name} name={name} />;
}
