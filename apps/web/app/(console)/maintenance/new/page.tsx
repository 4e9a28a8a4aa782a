import type { Metadata } from "next";
import { NewWindowView } from "~/features/maintenance/window-page";

export const metadata: Metadata = { title: "New maintenance window" };

export default function NewWindowPage() {
  return <NewWindowView />;
}
