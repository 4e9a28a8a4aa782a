import { createHash } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { NodeTask, TemplateDocument, TemplateInterface, Worklist } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { unsafeResolveVariables } from "../bindings/resolve-variables";
import type { Database } from "../db";
import {
  component,
  componentInterface,
  location,
  principal,
  signal,
  system,
  systemMember,
  template,
} from "../schema";
import type { SecretKey } from "../secrets/envelope";

/** The component variables an interface names: where its credentials are. */
export function credentialVariables(definition: TemplateInterface): string[] {
  switch (definition.protocol) {
    case "snmp":
      return [definition.community];
    case "http":
      return definition.auth.scheme === "basic"
        ? [definition.auth.username, definition.auth.password]
        : definition.auth.scheme === "bearer"
          ? [definition.auth.token]
          : [];
    case "pjlink":
      return definition.password ? [definition.password] : [];
    case "qrc":
      return [definition.username, definition.password].filter((v): v is string => v !== null);
    default:
      return [];
  }
}

/**
 * What the calling node polls: every component interface naming it, with the pinned template's
 * interface definition and the functions on it, where to reach it (the interface's host, else the
 * component's address; the interface's port, else the template's), and the variables it names
 * (credentials), opened for this node only. An interface with no host and no address is left out
 * (there is nothing to poll). `etag` hashes the content: it changes whenever the worklist does.
 */
export async function getWorklist({
  db,
  actor,
  secretKey,
}: {
  db: Database;
  actor: Actor;
  secretKey: SecretKey | null;
}): Promise<Worklist> {
  if (actor.kind !== "node")
    throw new OmniglassError("FORBIDDEN", "Only a node reads its worklist (its own).");
  const rows = await db
    .select({
      interfaceName: componentInterface.name,
      host: componentInterface.host,
      port: componentInterface.port,
      componentId: component.id,
      componentPath: component.path,
      address: component.address,
      locationPath: location.path,
      document: template.document,
      primarySystemPath: system.path,
    })
    .from(componentInterface)
    .innerJoin(component, eq(component.id, componentInterface.componentId))
    .innerJoin(location, eq(location.id, component.locationId))
    .innerJoin(template, eq(template.id, component.templateId))
    .leftJoin(
      systemMember,
      and(eq(systemMember.componentId, component.id), eq(systemMember.isPrimary, true)),
    )
    .leftJoin(system, eq(system.id, systemMember.systemId))
    .where(eq(componentInterface.nodeId, actor.id))
    .orderBy(asc(component.path), asc(componentInterface.name));
  const [self] = await db
    .select({ name: principal.name })
    .from(principal)
    .where(eq(principal.id, actor.id));
  const planned = rows.flatMap((r) => {
    const document = r.document as TemplateDocument;
    const definition = document.interfaces.find((i) => i.name === r.interfaceName);
    const host = r.host ?? r.address;
    if (!definition || !host) return [];
    return [{ r, document, definition, host }];
  });
  const keys = [...new Set(planned.flatMap((p) => credentialVariables(p.definition)))];
  const owners = [
    ...new Map(
      planned.map((p) => [
        p.r.componentId,
        {
          id: p.r.componentId,
          path: p.r.componentPath,
          locationPath: p.r.locationPath,
          primarySystemPath: p.r.primarySystemPath,
        },
      ]),
    ).values(),
  ];
  const variables = await unsafeResolveVariables(db, secretKey, owners, keys);
  const tasks: NodeTask[] = planned.map(({ r, document, definition, host }) => {
    const resolved = variables.get(r.componentId) ?? {};
    const secrets: Record<string, string> = {};
    for (const key of credentialVariables(definition))
      if (resolved[key] !== undefined) secrets[key] = resolved[key];
    return {
      component: { id: r.componentId, path: r.componentPath },
      interface: definition,
      host,
      port: r.port ?? ("port" in definition ? (definition.port ?? null) : null),
      secrets,
      functions: document.functions.filter((f) => f.interface === definition.name),
    };
  });
  const names = [
    ...new Set(tasks.flatMap((t) => t.functions.flatMap((f) => f.outputs.map((o) => o.signal)))),
  ];
  const catalog =
    names.length === 0
      ? []
      : await db
          .select({ name: signal.name, lane: signal.lane, valueType: signal.valueType })
          .from(signal)
          .where(inArray(signal.name, names))
          .orderBy(asc(signal.name));
  const signals = Object.fromEntries(
    catalog.map((s) => [s.name, { lane: s.lane, valueType: s.valueType }]),
  );
  const etag = createHash("sha256")
    .update(JSON.stringify([tasks, signals]))
    .digest("base64url")
    .slice(0, 27);
  return { node: { id: actor.id, name: self?.name ?? actor.name }, etag, tasks, signals };
}
