import type { ApiOutputs } from "~/client/outputs";

/** A webhook endpoint and a delivery as the API answers them. */
export type Endpoint = ApiOutputs["webhookEndpoint"]["get"];
export type DeliveryDetail = ApiOutputs["delivery"]["get"];
export type Delivery = ApiOutputs["delivery"]["list"]["items"][number];

export const endpointHref = (name: string) => `/webhook-endpoints/${encodeURIComponent(name)}`;
/** The delivery log filtered to one endpoint, a delivery's drawer open when given. */
export const deliveriesHref = (endpoint: string, delivery?: string) =>
  `/deliveries?endpoint=${encodeURIComponent(endpoint)}${delivery ? `&delivery=${encodeURIComponent(delivery)}` : ""}`;
export const alarmHref = (id: string) => `/alarms/${encodeURIComponent(id)}`;

/** "enabled", or why not ("disabled: The receiver answered 410 Gone"). */
export const stateText = (e: Pick<Endpoint, "enabled" | "disabledReason">) =>
  e.enabled ? "enabled" : `disabled${e.disabledReason ? `: ${e.disabledReason}` : ""}`;

/** The API's field problems by field name. */
export function problemsOf(error: unknown): Map<string, string> {
  const data = (error as { data?: { fieldErrors?: { field: string; message: string }[] } } | null)
    ?.data;
  return new Map((data?.fieldErrors ?? []).map((f) => [f.field, f.message]));
}
