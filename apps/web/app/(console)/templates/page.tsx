import type { Metadata } from "next";
import { TemplateCatalog } from "~/console/catalog";

export const metadata: Metadata = { title: "Templates" };

export default function TemplatesPage() {
  return <TemplateCatalog />;
}
