import type { Metadata } from "next";
import { CollectorsView } from "~/features/operations/collectors-view";

export const metadata: Metadata = { title: "Collectors & workers" };

export default function OperationsPage() {
  return <CollectorsView />;
}
