import type { Metadata } from "next";
import { DeliveryLog } from "~/features/deliveries/delivery-log";

export const metadata: Metadata = { title: "Deliveries" };

export default function DeliveriesPage() {
  return <DeliveryLog />;
}
