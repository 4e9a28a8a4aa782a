import type { Metadata } from "next";
import { BriefStatus } from "~/features/command/brief-status";

export const metadata: Metadata = { title: "Brief status" };

export default function BriefStatusPage() {
  return <BriefStatus />;
}
