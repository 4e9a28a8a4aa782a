import type { Metadata } from "next";
import { ComponentCreate } from "~/features/components/component-create";
import { one, type Search } from "~/ui/refs";

export const metadata: Metadata = { title: "New component" };

export default async function NewComponentPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  return (
    <ComponentCreate initialLocation={one(search.location)} initialSystem={one(search.system)} />
  );
}
