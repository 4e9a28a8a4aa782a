import type { Metadata } from "next";
import { SystemList } from "~/features/systems/system-list";

export const metadata: Metadata = { title: "Systems" };

export default function SystemsPage() {
  return <SystemList />;
}
