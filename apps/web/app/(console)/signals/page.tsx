import type { Metadata } from "next";
import { SignalCatalog } from "~/console/catalog";

export const metadata: Metadata = { title: "Signals" };

export default function SignalsPage() {
  return <SignalCatalog />;
}
