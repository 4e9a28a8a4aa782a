import type { Metadata } from "next";
import { SilenceList } from "~/features/silences/silence-list";

export const metadata: Metadata = { title: "Silences" };

export default function SilencesPage() {
  return <SilenceList />;
}
