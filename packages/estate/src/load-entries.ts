import {
  canonicalTimeZone,
  compileExpression,
  compileSchedule,
  compileSystemExpression,
  OmniglassError,
} from "@omniglass/domain";
import type { z } from "zod";
import { parentPath, type Address, type AddressKind, type RefOptions } from "./address";
import { cmp } from "./diagnostics";
import type { Loader } from "./load-loader";
import { secretOf } from "./load-secrets";
import { nodeAt, positionOf, type ParsedFile, type Segment } from "./load-yaml";
import type { Json } from "./model";
import {
  type ActionRuleEntry,
  type ComponentEntry,
  DEFAULTS,
  type EndpointEntry,
  type LocationEntry,
  type NodeEntry,
  type RuleEntry,
  type SystemEntry,
  type WindowEntry,
  type SectionName,
} from "./schema";

/* Normalization into the model: an entry's parsed data as the spec of its object. */

const sorted = <T extends string>(items: readonly T[]): T[] => [...new Set(items)].sort(cmp);

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

type Data = Record<string, unknown>;

export function normalizeEntry(
  loader: Loader,
  parsed: ParsedFile,
  section: SectionName,
  address: Address,
  data: Data,
  body: unknown,
  path: Segment[],
): unknown {
  const at = (...field: Segment[]) => nodeAt(parsed, body, field);
  const ref = (
    text: string,
    field: Segment[],
    accepts: readonly AddressKind[],
    options?: RefOptions,
  ) => loader.ref(parsed, at(...field), [...path, ...field], text, accepts, options, address);
  const invalid = (field: Segment[], message: string) =>
    loader.report("invalid-value", positionOf(parsed, at(...field)), [...path, ...field], message);
  const bucket = {
    labels: (data.labels ?? {}) as Record<string, string>,
    metadata: (data.metadata ?? {}) as Record<string, Json>,
  };
  const pathBody = address.slice(address.indexOf(".") + 1);
  const placed = (what: string): string | undefined => {
    const location = parentPath(pathBody);
    if (location === null) {
      invalid(
        [],
        `${what} is placed in a location: its key is the location's path, then its name (e.g. campus.hq.room-1.${pathBody})`,
      );
      return undefined;
    }
    return location;
  };
  let ok = true;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) ok = false;
    return value as T;
  };

  switch (section) {
    case "locations": {
      const d = data as z.output<typeof LocationEntry>;
      return { type: d.type, ...optional("label", d.label), ...bucket };
    }
    case "systems": {
      const d = data as z.output<typeof SystemEntry>;
      const location = placed("a system");
      if (location === undefined) return undefined;
      const roles = Object.fromEntries(
        Object.entries(d.roles ?? {}).map(([name, role]) => [
          name,
          {
            ...optional("label", role.label),
            accepts: sorted(role.accepts),
            quorum: role.quorum,
            impact: role.impact,
          },
        ]),
      );
      const members: Record<Address, { primary: boolean; role?: string }> = {};
      (d.members ?? []).forEach((member, i) => {
        const entry =
          typeof member === "string" ? { component: member, primary: DEFAULTS.primary } : member;
        const field: Segment[] =
          typeof member === "string" ? ["members", i] : ["members", i, "component"];
        const component = ref(entry.component, field, ["component"], { relativeTo: location });
        if (component === undefined) return void (ok = false);
        if (members[component]) {
          loader.report(
            "duplicate-object",
            positionOf(parsed, at(...field)),
            [...path, ...field],
            `\`${component}\` is a member twice`,
          );
          return void (ok = false);
        }
        if (entry.role !== undefined && !(entry.role in roles)) {
          loader.report(
            "dangling-reference",
            positionOf(parsed, at("members", i, "role")),
            [...path, "members", i, "role"],
            `\`${entry.role}\` is not a role of this system`,
            Object.keys(roles).length
              ? `its roles: ${Object.keys(roles).sort(cmp).join(", ")}`
              : "declare it under `roles:`",
          );
          return void (ok = false);
        }
        members[component] = { primary: entry.primary, ...optional("role", entry.role) };
      });
      return ok
        ? { type: d.type, ...optional("label", d.label), roles, members, ...bucket }
        : undefined;
    }
    case "components": {
      const d = data as z.output<typeof ComponentEntry>;
      if (placed("a component") === undefined) return undefined;
      const template = need(
        ref(d.template, ["template"], ["template"], { templateVersion: "required" }),
      );
      const node = d.node === undefined ? undefined : need(ref(d.node, ["node"], ["node"]));
      const interfaces = Object.fromEntries(
        Object.entries(d.interfaces ?? {}).map(([name, binding]) => [
          name,
          {
            ...optional(
              "node",
              binding.node === undefined
                ? undefined
                : need(ref(binding.node, ["interfaces", name, "node"], ["node"])),
            ),
            ...optional("host", binding.host),
            ...optional("port", binding.port),
          },
        ]),
      );
      return ok
        ? {
            template,
            ...optional("label", d.label),
            ...optional("vendor", d.vendor),
            ...optional("model", d.model),
            ...optional("serial", d.serial),
            ...optional("mac", d.mac),
            ...optional("address", d.address),
            ...optional("node", node),
            interfaces,
            ...bucket,
          }
        : undefined;
    }
    case "nodes": {
      const d = data as z.output<typeof NodeEntry>;
      const location = ref(d.location, ["location"], ["location"]);
      return location === undefined ? undefined : { location, ...optional("label", d.label) };
    }
    case "rules": {
      const d = data as z.output<typeof RuleEntry>;
      const scope = ref(
        d.scope,
        ["scope"],
        d.ownerKind === "system"
          ? ["location", "system", "system-type"]
          : ["location", "system", "component", "template", "system-type"],
        { words: ["all"], templateVersion: "required" },
      );
      if (scope === undefined) return undefined;
      if (d.ownerKind === "system" && d.sustainSeconds !== 0)
        return void invalid(["sustainSeconds"], "a system rule has no sustain period (0)");
      for (const field of ["fire", "clear"] as const) {
        const source = d[field];
        if (source === undefined) continue;
        try {
          if (d.ownerKind === "system") compileSystemExpression(field, source);
          else compileExpression(field, source);
        } catch (error) {
          if (!(error instanceof OmniglassError)) throw error;
          return void invalid([field], error.message);
        }
      }
      return {
        ownerKind: d.ownerKind,
        ...optional("label", d.label),
        ...optional("description", d.description),
        severity: d.severity,
        fire: d.fire,
        ...optional("clear", d.clear),
        sustainSeconds: d.sustainSeconds,
        scope,
        enabled: d.enabled,
        flapWindowSeconds: d.flapWindowSeconds,
        flapThreshold: d.flapThreshold,
      };
    }
    case "maintenanceWindows": {
      const d = data as z.output<typeof WindowEntry>;
      const scope = ref(d.scope, ["scope"], ["location", "system", "component", "template"], {
        templateVersion: "forbidden",
      });
      if (scope === undefined) return undefined;
      try {
        compileSchedule({
          dtstart: d.dtstart,
          timeZone: d.timeZone,
          duration: d.duration,
          rrule: d.rrule ?? null,
        });
      } catch (error) {
        if (!(error instanceof OmniglassError)) throw error;
        const field = error.fieldErrors[0]?.field ?? "dtstart";
        return void invalid([field], error.fieldErrors[0]?.message ?? error.message);
      }
      return {
        ...optional("label", d.label),
        ...optional("description", d.description),
        scope,
        dtstart: d.dtstart,
        timeZone: canonicalTimeZone(d.timeZone) ?? d.timeZone,
        duration: d.duration,
        ...optional("rrule", d.rrule),
        enabled: d.enabled,
      };
    }
    case "actionRules": {
      const d = data as z.output<typeof ActionRuleEntry>;
      const scope = need(
        ref(d.scope, ["scope"], ["location", "system", "template"], {
          words: ["all"],
          templateVersion: "forbidden",
        }),
      );
      const m = d.matchers ?? {};
      const rules = m.rules?.map((rule, i) => need(ref(rule, ["matchers", "rules", i], ["rule"])));
      const endpoints = d.endpoints.map((endpoint, i) =>
        need(ref(endpoint, ["endpoints", i], ["endpoint"])),
      );
      if (!ok) return undefined;
      return {
        ...optional("label", d.label),
        enabled: d.enabled,
        scope,
        matchers: {
          ...optional("severities", m.severities && sorted(m.severities)),
          ...optional("rules", rules && sorted(rules)),
          ...optional("kinds", m.kinds && sorted(m.kinds)),
          ...optional("suppressed", m.suppressed),
          ...optional("acknowledged", m.acknowledged),
        },
        endpoints: sorted(endpoints),
      };
    }
    case "webhookEndpoints": {
      const d = data as z.output<typeof EndpointEntry>;
      const location =
        d.location === undefined ? undefined : ref(d.location, ["location"], ["location"]);
      if (d.location !== undefined && location === undefined) return undefined;
      const secret = d.secret === undefined ? undefined : (secretOf(d.secret) ?? undefined);
      return {
        ...optional("label", d.label),
        url: d.url,
        ...optional("location", location),
        enabled: d.enabled,
        ...optional("secret", secret),
      };
    }
  }
}
