import { sql } from "drizzle-orm";
import type { ActionRuleSpec, EndpointSpec, Severity } from "@omniglass/estate";
import { endpointScope } from "../act/read-endpoint";
import { actionRuleScope } from "../act/write-action-rule";
import { actionRule, location, system, webhookEndpoint } from "../schema";
import { cond, optional, rows, type ReadContext } from "./read-model-kit";

/**
 * Webhook endpoints and the action rules delivering to them (one statement each), in
 * `action:read` scope.
 */
export async function readAct(r: ReadContext): Promise<void> {
  const names = await readEndpoints(r);
  await readActionRules(r, names);
}

/**
 * Webhook endpoints in `action:read` scope where placed (a platform endpoint: only on scope all,
 * and only without a subtree). The signing secret is never read: a managed endpoint shows the
 * reference the last apply was given (from the managed set), any other none. Answers the names
 * of every endpoint the caller may read (inside the subtree or not) by id.
 */
async function readEndpoints({
  db,
  actor,
  objects,
  ids,
  state,
  locationIn,
  sub,
  managedSecret,
}: ReadContext): Promise<Map<string, string>> {
  const endpoints = await rows<{
    id: string;
    name: string;
    label: string | null;
    url: string;
    enabled: boolean;
    path: string | null;
    history: boolean;
    inside: boolean;
  }>(
    db,
    sql`select ${webhookEndpoint.id} as id, ${webhookEndpoint.name} as name,
          ${webhookEndpoint.label} as label, ${webhookEndpoint.url} as url,
          ${webhookEndpoint.enabled} as enabled, ${location.path} as path,
          exists (select 1 from delivery d where d.endpoint_id = ${webhookEndpoint.id}) as history,
          ${sub ? sql`coalesce(${locationIn(sql`${location.path}`)}, false)` : sql`true`} as inside
        from ${webhookEndpoint} left join ${location} on ${location.id} = ${webhookEndpoint.locationId}
        where ${cond(endpointScope(actor))}`,
  );
  const names = new Map<string, string>();
  for (const e of endpoints) {
    names.set(e.id, e.name);
    if (!e.inside) continue;
    const address = `endpoint.${e.name}`;
    ids.set(address, e.id);
    const spec: EndpointSpec = {
      ...optional("label", e.label),
      url: e.url,
      ...optional("location", e.path === null ? null : `location.${e.path}`),
      enabled: e.enabled,
      ...optional("secret", managedSecret(address)),
    };
    objects[address] = { kind: "endpoint", spec, state: state(address, e.history) };
  }
  return names;
}

/**
 * Action rules in `action:read` scope (location and system scopes where placed; all and
 * template scopes only on scope all, and only without a subtree). Endpoint and event-rule ids
 * are read as names (one matching a template's or a built-in rule is not read: the files name
 * custom rules only). An endpoint the caller may read outside the subtree is an `existing` stub;
 * one it may not read is left out of the list (as the API's writer refuses to name it).
 */
async function readActionRules(
  { db, actor, objects, ids, state, locationIn, placedIn, sub }: ReadContext,
  endpointNames: Map<string, string>,
): Promise<void> {
  const actionRules = await rows<{
    id: string;
    name: string;
    label: string | null;
    enabled: boolean;
    matchers: {
      severities?: Severity[];
      ruleIds?: string[];
      kinds?: string[];
      suppressed?: boolean | "any";
      acknowledged?: boolean;
    };
    scope_kind: "all" | "location" | "system" | "template";
    scope_template: string | null;
    location_path: string | null;
    system_path: string | null;
    endpoint_ids: string[];
    rules: string[];
    foreign_rules: number;
  }>(
    db,
    sql`select ${actionRule.id} as id, ${actionRule.name} as name, ${actionRule.label} as label,
          ${actionRule.enabled} as enabled, ${actionRule.matchers} as matchers,
          ${actionRule.scopeKind} as scope_kind, ${actionRule.scopeTemplate} as scope_template,
          ${location.path} as location_path, ${system.path} as system_path,
          ${actionRule.endpointIds}::text[] as endpoint_ids,
          array(select er.name from event_rule er where er.origin = 'custom' and er.id::text in
            (select jsonb_array_elements_text(coalesce(${actionRule.matchers} -> 'ruleIds', '[]')))) as rules,
          (select count(*)::int from event_rule er where er.origin <> 'custom' and er.id::text in
            (select jsonb_array_elements_text(coalesce(${actionRule.matchers} -> 'ruleIds', '[]')))) as foreign_rules
        from ${actionRule}
        left join ${location} on ${location.id} = ${actionRule.scopeLocationId}
        left join ${system} on ${system.id} = ${actionRule.scopeSystemId}
        where ${cond(actionRuleScope(actor))}
          and ${
            sub
              ? sql`(${location.path} is not null and ${locationIn(sql`${location.path}`)}
                  or ${system.path} is not null and ${placedIn(sql`${system.path}`)})`
              : sql`true`
          }`,
  );
  for (const r of actionRules) {
    // Matching a template's or a built-in rule: the files name custom rules only, so such an
    // action rule cannot round-trip; it stays outside the files (never planned or deleted).
    if (r.foreign_rules > 0) continue;
    const address = `action-rule.${r.name}`;
    ids.set(address, r.id);
    const scope =
      r.scope_kind === "all"
        ? "all"
        : r.scope_kind === "template"
          ? `template.${r.scope_template}`
          : r.scope_kind === "location"
            ? `location.${r.location_path}`
            : `system.${r.system_path}`;
    const m = r.matchers;
    const spec: ActionRuleSpec = {
      ...optional("label", r.label),
      enabled: r.enabled,
      scope,
      matchers: {
        ...optional("severities", m.severities && [...m.severities].sort()),
        ...optional("rules", m.ruleIds && r.rules.map((name) => `rule.${name}`).sort()),
        ...optional("kinds", m.kinds && [...m.kinds].sort()),
        ...optional("suppressed", m.suppressed),
        ...optional("acknowledged", m.acknowledged),
      },
      endpoints: r.endpoint_ids
        .flatMap((id) => {
          const name = endpointNames.get(id);
          return name === undefined ? [] : [`endpoint.${name}`];
        })
        .sort(),
    };
    for (const endpoint of spec.endpoints)
      objects[endpoint] ??= { kind: "endpoint", existing: true };
    objects[address] = { kind: "action-rule", spec, state: state(address) };
  }
}
