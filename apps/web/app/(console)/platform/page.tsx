import type { Metadata } from "next";
import { PlatformStatus } from "~/features/platform/platform-status";

export const metadata: Metadata = { title: "Platform" };

export default function PlatformPage() {
  return <PlatformStatus />;
}
