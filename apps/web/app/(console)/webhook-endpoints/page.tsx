import type { Metadata } from "next";
import { EndpointList } from "~/features/webhook-endpoints/endpoint-list";

export const metadata: Metadata = { title: "Webhook endpoints" };

export default function WebhookEndpointsPage() {
  return <EndpointList />;
}
