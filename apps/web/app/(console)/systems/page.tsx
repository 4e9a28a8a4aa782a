import type { Metadata } from "next";
import { SystemList } from "~/console/estate-lists";

export const metadata: Metadata = { title: "Systems" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SystemsPage({ searchParams }: { searchParams: Search }) {
  const { location } = await searchParams;
  return <SystemList initialLocation={typeof location === "string" ? location : ""} />;
}
