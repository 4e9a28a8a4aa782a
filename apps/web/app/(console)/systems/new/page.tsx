import type { Metadata } from "next";
import { SystemCreate } from "~/features/systems/system-create";
import { one, type Search } from "~/ui/refs";

export const metadata: Metadata = { title: "New system" };

export default async function NewSystemPage({ searchParams }: { searchParams: Search }) {
  return <SystemCreate initialLocation={one((await searchParams).location)} />;
}
