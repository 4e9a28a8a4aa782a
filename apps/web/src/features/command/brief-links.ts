import type { BriefLink } from "@omniglass/contracts";
import { componentHref, locationHref, nodeHref, systemHref } from "~/ui/links";

/** Where each kind of object the brief status names lives in the console. */
export function briefHref(link: BriefLink): string {
  const seg = encodeURIComponent;
  switch (link.kind) {
    case "alarm":
      return `/alarms/${seg(link.ref)}`;
    case "component":
      return componentHref(link.ref);
    case "system":
      return systemHref(link.ref);
    case "location":
      return locationHref(link.ref);
    case "node":
      return nodeHref(link.ref);
    case "worker":
      return `/operations#worker-${seg(link.ref)}`;
    case "delivery":
      return `/deliveries?status=dead&delivery=${seg(link.ref)}`;
    case "endpoint":
      return `/webhook-endpoints/${seg(link.ref)}`;
    case "plan":
      return `/estate-plans/${seg(link.ref)}`;
    case "schedule":
      // A schedule's ref is the console path of the object that runs it.
      return link.ref.startsWith("/") ? link.ref : "/";
  }
}

/** The words of a context link (the first link is the item's own title). */
export function briefLinkLabel(link: BriefLink): string {
  switch (link.kind) {
    case "location":
      return `room ${link.ref}`;
    case "alarm":
      return "its alarm";
    case "endpoint":
      return `endpoint ${link.ref}`;
    case "component":
      return `component ${link.ref}`;
    case "system":
      return `system ${link.ref}`;
    case "node":
      return `collector ${link.ref}`;
    default:
      return `${link.kind} ${link.ref}`;
  }
}
