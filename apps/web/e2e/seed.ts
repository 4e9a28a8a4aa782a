import { randomUUID } from "node:crypto";
import { readStack } from "./stack";

/** Calls the REST API as the owner, failing loudly on anything but 2xx. */
export async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { baseUrl, owner } = readStack();
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export interface Estate {
  site: string;
  room: string;
  system: string;
  component: string;
  node: string;
  ownerId: string;
}

/** A small estate with one of everything a console page shows: site › building › room, a system
 * with a role filled twice, two displays, a node. */
export async function seedEstate(): Promise<Estate> {
  const site = `walk-${randomUUID().slice(0, 6)}`;
  const room = `${site}.hq.boardroom`;
  await rest("POST", "/locations", { name: site, type: "campus" });
  await rest("POST", "/locations", { name: "hq", type: "building", parent: site });
  await rest("POST", "/locations", { name: "boardroom", type: "room", parent: `${site}.hq` });
  await rest("POST", "/systems", { name: "av", type: "meeting-room", location: room });
  const system = `${room}.av`;
  await rest("POST", `/systems/${encodeURIComponent(system)}/roles`, {
    name: "main-display",
    accepts: ["display"],
    quorum: 1,
    impact: "outage",
  });
  for (const name of ["display-1", "display-2"])
    await rest("POST", "/components", {
      name,
      location: room,
      template: "http-json-display",
      system,
      role: "main-display",
    });
  const node = `edge-${site}`;
  await rest("POST", "/nodes", { name: node, location: site });
  const me = await rest<{ principal: { id: string } }>("GET", "/auth/me");
  return { site, room, system, component: `${room}.display-1`, node, ownerId: me.principal.id };
}

/** Every console page, for the estate `seedEstate` made. */
export function consolePages(e: Estate): string[] {
  const seg = encodeURIComponent;
  return [
    "/",
    "/platform",
    "/estate",
    "/locations",
    `/locations/${seg(e.site)}`,
    "/systems",
    `/systems/${seg(e.system)}`,
    "/systems/new",
    "/components",
    `/components/${seg(e.component)}`,
    "/components/new",
    "/templates",
    "/templates/http-json-display",
    "/signals",
    "/nodes",
    `/nodes/${seg(e.node)}`,
    "/admin/principals",
    `/admin/principals/${e.ownerId}`,
    "/admin/roles",
    "/admin/audit",
    "/profile",
  ];
}
