import type { Metadata } from "next";
import { SignalCatalog } from "~/features/signals/signal-catalog";

export const metadata: Metadata = { title: "Signals" };

export default function SignalsPage() {
  return <SignalCatalog />;
}
