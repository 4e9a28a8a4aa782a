import type { Metadata } from "next";
import { AlarmQueue } from "~/features/alarms/alarm-queue";

export const metadata: Metadata = { title: "Alarms" };

export default function AlarmsPage() {
  return <AlarmQueue />;
}
