import type { Metadata } from "next";
import { ComponentList } from "~/console/estate-lists";

export const metadata: Metadata = { title: "Components" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

export default async function ComponentsPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  return (
    <ComponentList
      initialLocation={one(search.location)}
      initialSystem={one(search.system)}
      initialTemplate={one(search.template)}
      initialNode={one(search.node)}
    />
  );
}
