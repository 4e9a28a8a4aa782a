import type { Metadata } from "next";
import { EndpointView } from "~/features/webhook-endpoints/endpoint-page";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({
  params,
}: {
  params: Promise<{ name: string }>;
}) {
  const name = decodeRef((await params).name);
  return <EndpointView key={name} endpointRef={name} />;
}
