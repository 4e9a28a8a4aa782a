import type { OmniglassClient, RouterInputs, RouterOutputs } from "@omniglass/client";
import { InputError } from "../errors";
import { flag } from "../flags";
import type { CliIo } from "../io";
import { resourceCommand } from "./resource";

/**
 * `omniglass action-rule …`: which alarm transitions go to which webhook endpoints. Matchers
 * (severities, transition kinds, event rules, suppressed, acknowledged) must all hold; a scope
 * (all, a location subtree, a system's members, a template) says where. Rules and endpoints are
 * named by name or id; the command resolves names to the ids the API stores.
 */

type ActionRule = RouterOutputs["actionRule"]["list"]["items"][number];
type Matchers = NonNullable<RouterInputs["actionRule"]["create"]["matchers"]>;
type Scope = NonNullable<RouterInputs["actionRule"]["create"]["scope"]>;

const SEVERITIES = ["info", "warning", "critical"] as const;
const KINDS = [
  "opened",
  "reopened",
  "resolved",
  "acknowledged",
  "unacknowledged",
  "flapping",
  "suppressed",
  "unsuppressed",
] as const;
const SCOPE_KINDS = ["location", "system", "template"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `all`, or `<kind>:<ref>`: location:<path>, system:<path>, template:<name>. */
export function parseActionScope(text: string): Scope {
  if (text === "all") return { kind: "all" };
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon) as (typeof SCOPE_KINDS)[number];
  const ref = text.slice(colon + 1);
  if (colon < 1 || !SCOPE_KINDS.includes(kind) || !ref)
    throw new InputError(
      `--scope: ${JSON.stringify(text)} is not \`all\` or <kind>:<ref> with kind one of location, system, template`,
    );
  return { kind, ref };
}

function oneOf<T extends string>(values: readonly T[], given: string[], name: string): T[] {
  for (const v of given)
    if (!(values as readonly string[]).includes(v))
      throw new InputError(`--${name}: ${v} is not one of ${values.join(", ")}`);
  return given as T[];
}

/** Names or ids → ids, each looked up once (a 404 names what was not found). */
async function idsOf(names: string[], lookup: (ref: string) => Promise<{ id: string }>) {
  return Promise.all(names.map(async (n) => (UUID.test(n) ? n : (await lookup(n)).id)));
}

interface MatcherFlags {
  severities?: string[] | undefined;
  kinds?: string[] | undefined;
  rules?: string[] | undefined;
  suppressed?: "true" | "false" | "any" | undefined;
  acknowledged?: "true" | "false" | "either" | undefined;
}

/**
 * The matchers the flags give, over `base` (an update's current matchers): a list flag replaces
 * that matcher, `any` (or `either`) removes it.
 */
async function matchersOf(
  client: OmniglassClient,
  flags: MatcherFlags,
  base: Matchers = {},
): Promise<Matchers> {
  const next: Matchers = { ...base };
  const set = <K extends keyof Matchers>(key: K, value: Matchers[K] | undefined) => {
    if (value === undefined) delete next[key];
    else next[key] = value;
  };
  const isAny = (list: string[]) => list.length === 1 && list[0] === "any";
  if (flags.severities)
    set(
      "severities",
      isAny(flags.severities) ? undefined : oneOf(SEVERITIES, flags.severities, "severities"),
    );
  if (flags.kinds)
    set("kinds", isAny(flags.kinds) ? undefined : oneOf(KINDS, flags.kinds, "kinds"));
  if (flags.rules)
    set(
      "ruleIds",
      isAny(flags.rules)
        ? undefined
        : await idsOf(flags.rules, (ref) => client.rule.get.query({ ref })),
    );
  if (flags.suppressed)
    set("suppressed", flags.suppressed === "any" ? "any" : flags.suppressed === "true");
  if (flags.acknowledged)
    set(
      "acknowledged",
      flags.acknowledged === "either" ? undefined : flags.acknowledged === "true",
    );
  return next;
}

const matcherFlags = {
  severities: flag.list("severities, comma-separated: info, warning, critical (any: all)"),
  kinds: flag.list(`transition kinds, comma-separated: ${KINDS.join(", ")} (any: all)`),
  rules: flag.list("event rules by name or id, comma-separated (any: all)"),
  suppressed: flag.optionalChoice(
    ["false", "true", "any"],
    "false (default): only alarms not suppressed; true: only suppressed ones; any: either",
  ),
  acknowledged: flag.optionalChoice(["true", "false", "either"], "acknowledged or not"),
  scope: flag.text("where: all, location:<path>, system:<path>, template:<name>"),
  endpoints: flag.list("the endpoints it delivers to, by name or id, comma-separated"),
  label: flag.text("a label for humans"),
};

const matchersText = (m: ActionRule["matchers"]) =>
  [
    m.severities && `severities=${m.severities.join(",")}`,
    m.kinds && `kinds=${m.kinds.join(",")}`,
    m.ruleIds && `rules=${m.ruleIds.length}`,
    `suppressed=${m.suppressed === undefined ? "false" : String(m.suppressed)}`,
    m.acknowledged !== undefined && `acknowledged=${m.acknowledged}`,
  ]
    .filter(Boolean)
    .join(" ");

export function actionRuleCommand(io: CliIo) {
  // Endpoint names for the list's table (one extra read per list, not per row).
  const endpointNames = new Map<string, string>();
  const endpointIdsOf = (client: OmniglassClient, names: string[]) =>
    idsOf(names, (ref) => client.webhookEndpoint.get.query({ ref }));
  const command = resourceCommand(
    {
      name: "action-rule",
      description: "Action rules: which alarm transitions are sent to which webhook endpoints",
      key: "ref",
      list: {
        search: false,
        flags: { endpoint: flag.text("only rules delivering to this endpoint (name or id)") },
        call: async (client, { page_size, page_token }, { endpoint }) => {
          const endpoints = await client.webhookEndpoint.list.query({ page_size: 500 });
          for (const e of endpoints.items) endpointNames.set(e.id, e.name);
          const endpointId = endpoint ? (await endpointIdsOf(client, [endpoint]))[0] : undefined;
          return client.actionRule.list.query({
            page_size,
            ...(page_token ? { page_token } : {}),
            ...(endpointId ? { endpoint: endpointId } : {}),
          });
        },
      },
      columns: [
        { header: "NAME", value: (r) => r.name },
        { header: "ENABLED", value: (r) => r.enabled },
        { header: "SCOPE", value: (r) => (r.scope.ref ? `${r.scope.kind}:${r.scope.ref}` : "all") },
        { header: "MATCHERS", value: (r) => matchersText(r.matchers) },
        {
          header: "ENDPOINTS",
          value: (r) => r.endpointIds.map((id) => endpointNames.get(id) ?? id).join(","),
        },
      ],
      get: (client, ref) => client.actionRule.get.query({ ref }),
      create: {
        flags: {
          name: flag.required("unique name (a-z, 0-9, dashes)"),
          ...matcherFlags,
          endpoints: flag.list("the endpoints it delivers to, by name or id, comma-separated"),
          disabled: flag.switch("create it disabled"),
        },
        call: async (client, { name, label, scope, endpoints, disabled, ...flags }) => {
          if (!endpoints) throw new InputError("--endpoints is required (one or more)");
          return client.actionRule.create.mutate({
            name,
            ...(label ? { label } : {}),
            enabled: disabled !== true,
            matchers: await matchersOf(client, flags),
            scope: parseActionScope(scope ?? "all"),
            endpointIds: await endpointIdsOf(client, endpoints),
          });
        },
      },
      update: {
        flags: {
          ...matcherFlags,
          label: flag.clearable("a label for humans"),
          enabled: flag.optionalChoice(["true", "false"], "in force or not"),
        },
        call: async (client, ref, { label, scope, endpoints, enabled, ...flags }, version) => {
          const changesMatchers = Object.values(flags).some((v) => v !== undefined);
          const current = changesMatchers ? await client.actionRule.get.query({ ref }) : null;
          return client.actionRule.update.mutate({
            ref,
            ...(label === undefined ? {} : { label }),
            ...(enabled === undefined ? {} : { enabled: enabled === "true" }),
            ...(current ? { matchers: await matchersOf(client, flags, current.matchers) } : {}),
            ...(scope ? { scope: parseActionScope(scope) } : {}),
            ...(endpoints ? { endpointIds: await endpointIdsOf(client, endpoints) } : {}),
            version,
          });
        },
      },
      delete: { call: (client, ref) => client.actionRule.delete.mutate({ ref }) },
    },
    io,
  );
  command.commands.find((c) => c.name() === "get")?.alias("show");
  return command;
}
