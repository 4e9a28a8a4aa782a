import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, instant, jsonb } from "./columns";
import { location } from "./location";
import { node } from "./node";
import { system, systemRole } from "./system";
import { template } from "./catalog";

/**
 * A deployed device, app or service, placed in a location and pinned to one template version.
 * `path` is its location's path, a dot and its name (kept by the gateway on rename and move).
 */
export const component = pgTable(
  "component",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label"),
    locationId: uuid("location_id")
      .notNull()
      .references(() => location.id),
    path: text("path").notNull(),
    templateId: uuid("template_id")
      .notNull()
      .references(() => template.id),
    vendor: text("vendor"),
    model: text("model"),
    serial: text("serial"),
    mac: text("mac"),
    address: text("address"),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("component_location_name_key").on(t.locationId, t.name),
    index("component_location_idx").on(t.locationId),
    index("component_template_idx").on(t.templateId),
    uniqueIndex("component_path_key").on(t.path),
    index("component_path_pattern_idx").on(t.path.op("text_pattern_ops")),
    check(
      "component_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check(
      "component_mac_check",
      sql`${t.mac} is null or ${t.mac} ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'`,
    ),
  ],
);

/**
 * One interface of a component, as its template declares it, bound to this device: where it is
 * reached (host and port, defaulting to the component's address and the template's port), its
 * parameters, and the node that polls it.
 */
export const componentInterface = pgTable(
  "component_interface",
  {
    id: id(),
    componentId: uuid("component_id")
      .notNull()
      .references(() => component.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    protocol: text("protocol", {
      enum: ["icmp", "snmp", "http", "pjlink", "qrc", "text"],
    }).notNull(),
    nodeId: uuid("node_id").references(() => node.id),
    host: text("host"),
    port: integer("port"),
    parameters: jsonb("parameters").notNull().default({}),
  },
  (t) => [
    unique("component_interface_component_name_key").on(t.componentId, t.name),
    index("component_interface_node_idx").on(t.nodeId),
    check(
      "component_interface_port_check",
      sql`${t.port} is null or ${t.port} between 1 and 65535`,
    ),
  ],
);

/**
 * A component serving a system, optionally filling one of its roles. A component may serve several
 * systems; at most one of them is its primary (a partial unique index).
 */
export const systemMember = pgTable(
  "system_member",
  {
    systemId: uuid("system_id")
      .notNull()
      .references(() => system.id),
    componentId: uuid("component_id")
      .notNull()
      .references(() => component.id),
    isPrimary: boolean("is_primary").notNull().default(false),
    roleId: uuid("role_id").references(() => systemRole.id, { onDelete: "set null" }),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "system_member_pkey", columns: [t.systemId, t.componentId] }),
    index("system_member_component_idx").on(t.componentId),
    uniqueIndex("system_member_primary_key")
      .on(t.componentId)
      .where(sql`${t.isPrimary}`),
  ],
);
