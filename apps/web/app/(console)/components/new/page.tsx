import type { Metadata } from "next";
import { ComponentCreate } from "~/console/component-create";

export const metadata: Metadata = { title: "New component" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function NewComponentPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  return (
    <ComponentCreate
      initialLocation={one(search.location) ?? ""}
      initialSystem={one(search.system) ?? ""}
    />
  );
}
