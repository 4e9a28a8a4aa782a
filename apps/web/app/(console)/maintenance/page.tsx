import type { Metadata } from "next";
import { WindowList } from "~/features/maintenance/window-list";

export const metadata: Metadata = { title: "Maintenance windows" };

export default function MaintenancePage() {
  return <WindowList />;
}
