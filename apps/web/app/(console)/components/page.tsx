import type { Metadata } from "next";
import { ComponentList } from "~/features/components/component-list";

export const metadata: Metadata = { title: "Components" };

export default function ComponentsPage() {
  return <ComponentList />;
}
