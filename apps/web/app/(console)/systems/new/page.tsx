import type { Metadata } from "next";
import { SystemCreate } from "~/console/system-create";

export const metadata: Metadata = { title: "New system" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function NewSystemPage({ searchParams }: { searchParams: Search }) {
  const { location } = await searchParams;
  return <SystemCreate initialLocation={typeof location === "string" ? location : ""} />;
}
