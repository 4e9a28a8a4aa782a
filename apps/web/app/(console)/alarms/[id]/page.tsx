import type { Metadata } from "next";
import { AlarmDetailView } from "~/features/alarms/alarm-detail";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Alarm" };

export default async function AlarmPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeRef((await params).id);
  return <AlarmDetailView key={id} alarmId={id} />;
}
