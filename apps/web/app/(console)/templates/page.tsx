import type { Metadata } from "next";
import { TemplateCatalog } from "~/features/templates/template-catalog";

export const metadata: Metadata = { title: "Templates" };

export default function TemplatesPage() {
  return <TemplateCatalog />;
}
