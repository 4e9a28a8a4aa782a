import { asc, eq, inArray } from "drizzle-orm";
import type { ComponentDetail, TemplateDocument } from "@omniglass/contracts";
import { signalsOf } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import {
  component,
  componentInterface,
  principal,
  signal,
  system,
  systemMember,
  systemRole,
  template,
} from "../schema";
import { componentQuery, toComponent, type ComponentRow } from "./resolve-component";

/** The component with its interfaces (and the nodes polling them), systems and the signals its template produces. */
export async function componentDetail(
  db: Database | Transaction,
  found: ComponentRow,
): Promise<ComponentDetail> {
  // One after the other: this runs on transaction clients too, which take one query at a time.
  const interfaces = await db
    .select({ row: componentInterface, nodeName: principal.name })
    .from(componentInterface)
    .leftJoin(principal, eq(principal.id, componentInterface.nodeId))
    .where(eq(componentInterface.componentId, found.row.id))
    .orderBy(asc(componentInterface.name));
  const systems = await db
    .select({
      id: system.id,
      path: system.path,
      primary: systemMember.isPrimary,
      role: systemRole.name,
    })
    .from(systemMember)
    .innerJoin(system, eq(system.id, systemMember.systemId))
    .leftJoin(systemRole, eq(systemRole.id, systemMember.roleId))
    .where(eq(systemMember.componentId, found.row.id))
    .orderBy(asc(system.path));
  const [pinned] = await db
    .select({ document: template.document })
    .from(template)
    .where(eq(template.id, found.row.templateId));
  const produced = signalsOf(pinned!.document as TemplateDocument);
  const catalog =
    produced.length === 0
      ? []
      : await db
          .select()
          .from(signal)
          .where(
            inArray(
              signal.name,
              produced.map((p) => p.signal),
            ),
          );
  const byName = new Map(catalog.map((s) => [s.name, s]));
  return {
    ...toComponent(found),
    interfaces: interfaces.map(({ row, nodeName }) => ({
      name: row.name,
      protocol: row.protocol,
      host: row.host,
      port: row.port,
      node: row.nodeId && nodeName ? { id: row.nodeId, name: nodeName } : null,
    })),
    systems: systems.map((s) => ({ id: s.id, path: s.path, primary: s.primary, role: s.role })),
    signals: produced.map((p) => {
      const definition = byName.get(p.signal);
      return {
        name: p.signal,
        lane: definition?.lane ?? "property",
        label: definition?.label ?? p.signal,
        unit: definition?.unit ?? null,
        function: p.function,
        interface: p.interface,
        intervalSeconds: p.intervalMs / 1000,
      };
    }),
  };
}

/** The detail of the component `id` as it is now (a writer's read-back; no scope: the writer checked it). */
export async function readComponentBack(tx: Transaction, id: string): Promise<ComponentDetail> {
  const [row] = await componentQuery(tx).where(eq(component.id, id));
  return componentDetail(tx, row!);
}
