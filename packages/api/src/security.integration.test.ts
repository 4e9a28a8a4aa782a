/**
 * The shared security suite. It walks every procedure of the router, so a new procedure is covered
 * (or this file fails until it is given a fixture): no credentials → 401; a principal lacking the
 * capability → 403; a principal whose grant is elsewhere → 404 exactly like a missing id, with the
 * database unchanged; success → exactly one audit row per mutation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Problem } from "@omniglass/contracts";
import {
  connectDatabase,
  createLocation,
  unsafeCountAuditRows,
  loadActor,
  unsafeBootstrapOwner,
  type DatabaseHandle,
} from "@omniglass/gateway";
import {
  createTestDatabase,
  createTestPrincipal,
  unsafeSnapshotTables,
  type TestDatabase,
} from "@omniglass/gateway/testing";
import { isRegistryWrite } from "@omniglass/domain";
import { testInfra } from "@omniglass/testing";
import { newSecretKeyBase64, parseSecretKey } from "@omniglass/gateway/secrets";
import { createApiDependencies, createContext, type ApiDependencies } from "./context";
import { handleRestRequest } from "./rest";
import { listProcedures } from "./root";

/** Open to anyone who passes the network check: liveness, and the way to get a session. */
const PUBLIC = new Set(["platform.getHealth", "auth.signIn", "node.enroll"]);
/** Held by every authenticated principal (reading or signing out oneself). */
const SELF = new Set([
  "auth.me",
  "auth.signOut",
  "auth.listSessions",
  "auth.revokeSession",
  "auth.createOwnToken",
  "auth.revokeOwnToken",
]);

interface Fixture {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** REST path under /api/v1, with `{ref}` for the location under test. */
  path: string;
  body?: () => unknown;
  /** The procedure addresses one placed thing: test the out-of-scope 404 with it. */
  scoped?: boolean;
  /** What `{ref}` names (default: the location campus.hq.floor-1); `prepare` may override it. */
  ref?: string;
  /** Audit rows a successful call writes (default: one for a write, none for a read). */
  audits?: number;
  /** Makes what a successful call consumes (a principal to disable, a token to revoke): `{name}` placeholders. */
  prepare?: () => Promise<Record<string, string>>;
  /** The success status over REST (default 200). */
  status?: number;
  /** Who succeeds (default: the owner): a node's own procedures need a node's credential. */
  succeedsAs?: () => Promise<string>;
}

const ROOT_PASSWORD = "root password for the suite";

/** Columns that authenticating a request stamps, whatever the answer. */
const VOLATILE = ["api_token.last_used_at", "session.last_seen_at", "session.last_used_at"];

/**
 * What fixtures' `prepare` steps use, set in beforeAll: a REST call as the owner, and a service
 * principal the principal fixtures act on.
 */
const world: {
  asOwner: (method: string, path: string, body?: unknown) => Promise<Response>;
  target: string;
  /** The library's http-json-display document, a base for templates of the suite's own. */
  document: Record<string, unknown>;
} = {
  asOwner: () => Promise.reject(new Error("the suite's beforeAll has not run")),
  target: "",
  document: {},
};

const api = (method: string, path: string, body?: unknown) => world.asOwner(method, path, body);

async function freshPrincipal(): Promise<string> {
  const response = await api("POST", "/principals", {
    kind: "service",
    name: `svc-${randomUUID().slice(0, 8)}`,
  });
  return ((await response.json()) as { id: string }).id;
}

const AV = "campus.hq.floor-1.av";
const DISPLAY = "campus.hq.floor-1.display";
const SIGNAL = {
  lane: "metric",
  label: "Suite metric",
  description: "A metric the security suite registers.",
  unit: "s",
  precision: 0,
  valueType: "number",
  schema: null,
};

async function freshComponent(template = "http-json-display", system?: string): Promise<string> {
  const response = await api("POST", "/components", {
    name: `part-${randomUUID().slice(0, 8)}`,
    location: "campus.hq.floor-1",
    template,
    ...(system ? { system } : {}),
  });
  return ((await response.json()) as { path: string }).path;
}

async function freshSystem(): Promise<string> {
  const response = await api("POST", "/systems", {
    name: `sys-${randomUUID().slice(0, 8)}`,
    type: "meeting-room",
    location: "campus.hq.floor-1",
  });
  return ((await response.json()) as { path: string }).path;
}

async function freshRole(): Promise<string> {
  const role = `role-${randomUUID().slice(0, 6)}`;
  await api("POST", `/systems/${AV}/roles`, { name: role, accepts: ["display"], impact: "none" });
  return role;
}

/** Publishes versions 1..`versions` of a new template shaped like the library's HTTP display. */
async function freshTemplate(versions: number): Promise<string> {
  const name = `suite-${randomUUID().slice(0, 8)}`;
  for (let version = 1; version <= versions; version++)
    await api("POST", "/templates", { document: { ...world.document, name, version } });
  return name;
}

/** A node enrolled in campus.hq.floor-1: its API token. */
async function enrolledNode(): Promise<string> {
  const name = `edge-${randomUUID().slice(0, 8)}`;
  const created = await api("POST", "/nodes", { name, location: "campus.hq.floor-1" });
  const { enrollmentToken } = (await created.json()) as { enrollmentToken: string };
  const enrolled = await api("POST", "/nodes/enroll", { token: enrollmentToken });
  return ((await enrolled.json()) as { token: string }).token;
}

async function freshNode(): Promise<string> {
  const name = `edge-${randomUUID().slice(0, 8)}`;
  await api("POST", "/nodes", { name, location: "campus.hq.floor-1" });
  return name;
}

/** The suite's own rule and alarm (issue #13): a rule on the display that fires at once. */
const ALARM = { id: "", rule: "suite-down", clock: 0 };
const NO_ALARM = "0192f0c4-1c2d-7a3b-8c4d-5e6f7a8b9c0d";

async function pushReachable(value: boolean) {
  ALARM.clock = Math.max(ALARM.clock + 1000, Date.now() - 60_000);
  await api("POST", "/samples", {
    samples: [
      { owner: DISPLAY, signal: "reachable", value, ts: new Date(ALARM.clock).toISOString() },
    ],
  });
}

async function ensureRule(): Promise<string> {
  if ((await api("GET", `/rules/${ALARM.rule}`)).status === 404)
    await api("POST", "/rules", {
      name: ALARM.rule,
      severity: "warning",
      fire: 'signals["reachable"] == false',
      scope: { kind: "owner", ref: DISPLAY },
    });
  return ALARM.rule;
}

/** A maintenance window and a silence on the hq floor (issue #14), made once for the fixtures. */
const SUPPRESS = { window: "", silence: "" };
const NO_SILENCE = "0192f0c4-1c2d-7a3b-8c4d-5e6f7a8b9c0e";
const windowBody = (name: string, ref = "campus.hq.floor-1") => ({
  name,
  scope: { kind: "location", ref },
  dtstart: "2026-12-05T22:00",
  timeZone: "Europe/London",
  duration: "2h",
  rrule: "FREQ=WEEKLY;BYDAY=SA",
});
const silenceBody = (owner = "campus.hq.floor-1") => ({
  matchers: { owner, severities: ["warning"] },
  reason: "suite",
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
});

async function ensureWindow(): Promise<string> {
  if (!SUPPRESS.window) {
    await api("POST", "/maintenance-windows", windowBody("suite-window"));
    SUPPRESS.window = "suite-window";
  }
  return SUPPRESS.window;
}

async function freshSilence(): Promise<string> {
  const response = await api("POST", "/silences", silenceBody());
  return ((await response.json()) as { id: string }).id;
}

async function ensureSilence(): Promise<string> {
  SUPPRESS.silence ||= await freshSilence();
  return SUPPRESS.silence;
}

/** A webhook endpoint (issue #14), at the platform or placed in a location: its id. */
async function freshEndpoint(location?: string): Promise<string> {
  const response = await api("POST", "/webhook-endpoints", {
    name: `hook-${randomUUID().slice(0, 8)}`,
    url: "https://hooks.example.com/suite",
    ...(location ? { location } : {}),
  });
  return ((await response.json()) as { id: string }).id;
}

/** An endpoint, an action rule and a delivery placed on the hq floor, made once (scoped cases). */
const ACT = { endpoint: "", rule: "", delivery: "" };
const NO_DELIVERY = "msg_00000000000000000000000000000000";
const ensureHqEndpoint = async () => (ACT.endpoint ||= await freshEndpoint("campus.hq.floor-1"));
async function freshHqRule(): Promise<string> {
  const response = await api("POST", "/action-rules", {
    name: `rule-${randomUUID().slice(0, 8)}`,
    scope: { kind: "location", ref: "campus.hq.floor-1" },
    endpointIds: [await ensureHqEndpoint()],
  });
  return ((await response.json()) as { id: string }).id;
}
const ensureHqRule = async () => (ACT.rule ||= await freshHqRule());
async function ensureHqDelivery(): Promise<string> {
  if (!ACT.delivery) {
    const response = await api("POST", `/webhook-endpoints/${await ensureHqEndpoint()}/test`, {});
    ACT.delivery = ((await response.json()) as { id: string }).id;
  }
  return ACT.delivery;
}

/** A queued test delivery to a fresh endpoint: its id (msg_…). */
async function freshDelivery(): Promise<string> {
  const response = await api("POST", `/webhook-endpoints/${await freshEndpoint()}/test`, {});
  return ((await response.json()) as { id: string }).id;
}

/** An open alarm on the display (reopened when it was resolved): its id. */
async function openAlarm(): Promise<string> {
  await ensureRule();
  if (ALARM.id) {
    const current = (await (await api("GET", `/alarms/${ALARM.id}`)).json()) as {
      lifecycle: string;
    };
    if (current.lifecycle === "open") return ALARM.id;
    await pushReachable(true);
  }
  await pushReachable(false);
  const open = (await (
    await api("GET", `/alarms?state=open&owner=${DISPLAY}&rule=${ALARM.rule}`)
  ).json()) as { items: { id: string }[] };
  ALARM.id = open.items[0]!.id;
  return ALARM.id;
}

function bindingFixtures(
  kind: "tag" | "variable",
  path: string,
  value: () => unknown,
): Record<string, Fixture> {
  const target = "location.{ref}";
  return {
    [`${kind}.list`]: { method: "GET", path: `${path}?target=${target}`, scoped: true },
    [`${kind}.explain`]: { method: "GET", path: `${path}/explain?target=${target}`, scoped: true },
    [`${kind}.set`]: {
      method: "PUT",
      path,
      body: () => ({ target, key: "suite", value: value() }),
      scoped: true,
    },
    [`${kind}.delete`]: {
      method: "DELETE",
      path: `${path}?target=${target}&key=doomed`,
      scoped: true,
      prepare: async () => {
        await api("PUT", path, {
          target: "location.campus.hq.floor-1",
          key: "doomed",
          value: value(),
        });
        return {};
      },
    },
  };
}

const FIXTURES: Record<string, Fixture> = {
  "auth.me": { method: "GET", path: "/auth/me" },
  "auth.listSessions": { method: "GET", path: "/auth/sessions" },
  "auth.revokeSession": {
    method: "DELETE",
    path: "/auth/sessions/{id}",
    prepare: async () => {
      await api("POST", "/auth/login", { username: "root", password: ROOT_PASSWORD });
      const sessions = (await (await api("GET", "/auth/sessions")).json()) as {
        items: { id: string }[];
      };
      return { id: sessions.items[0]!.id };
    },
  },
  "auth.createOwnToken": { method: "POST", path: "/auth/tokens", body: () => ({ name: "mine" }) },
  "auth.revokeOwnToken": {
    method: "DELETE",
    path: "/auth/tokens/{tokenId}",
    prepare: async () => {
      const response = await api("POST", "/auth/tokens", { name: "to-revoke" });
      return { tokenId: ((await response.json()) as { id: string }).id };
    },
  },
  // With a bearer token there is no session to end: an idempotent no-op, so no audit row.
  "auth.signOut": { method: "POST", path: "/auth/logout", audits: 0 },
  "location.list": { method: "GET", path: "/locations" },
  "location.get": { method: "GET", path: "/locations/{ref}", scoped: true },
  "location.create": {
    method: "POST",
    path: "/locations",
    body: () => ({ name: `room-${randomUUID().slice(0, 8)}`, type: "room", parent: "{ref}" }),
    scoped: true,
  },
  "location.update": {
    method: "PATCH",
    path: "/locations/{ref}",
    body: () => ({ label: `Label ${randomUUID().slice(0, 6)}` }),
    scoped: true,
  },
  "location.delete": { method: "DELETE", path: "/locations/{ref}", scoped: true },
  "location.rename": {
    method: "POST",
    path: "/locations/{ref}/rename",
    body: () => ({ name: `renamed-${randomUUID().slice(0, 6)}` }),
    scoped: true,
  },
  "locationType.list": { method: "GET", path: "/location-types" },
  "system.list": { method: "GET", path: "/systems" },
  "system.listTypes": { method: "GET", path: "/system-types" },
  // System fixtures address a system placed in campus.hq.floor-1 (made in beforeAll), so the
  // out-of-scope 404 and the success path are those of a real system.
  "system.get": {
    method: "GET",
    path: "/systems/{ref}",
    scoped: true,
    ref: "campus.hq.floor-1.av",
  },
  "system.create": {
    method: "POST",
    path: "/systems",
    body: () => ({
      name: `room-av-${randomUUID().slice(0, 6)}`,
      type: "meeting-room",
      location: "{ref}",
    }),
    scoped: true,
  },
  "system.update": {
    method: "PATCH",
    path: "/systems/{ref}",
    body: () => ({ label: `AV ${randomUUID().slice(0, 6)}` }),
    scoped: true,
    ref: "campus.hq.floor-1.av",
  },
  "system.delete": {
    method: "DELETE",
    path: "/systems/{ref}",
    scoped: true,
    ref: "campus.hq.floor-1.av",
    prepare: async () => {
      const response = await api("POST", "/systems", {
        name: `doomed-${randomUUID().slice(0, 6)}`,
        type: "meeting-room",
        location: "campus.hq.floor-1",
      });
      return { ref: ((await response.json()) as { path: string }).path };
    },
  },
  "locationType.create": {
    method: "POST",
    path: "/location-types",
    body: () => ({ name: `kind-${randomUUID().slice(0, 8)}`, label: "Kind" }),
  },
  "role.list": { method: "GET", path: "/roles" },
  "platform.getStatus": { method: "GET", path: "/platform/status" },
  "worker.list": { method: "GET", path: "/workers" },
  "operations.collectors": { method: "GET", path: "/collectors" },
  "operations.schedules": { method: "GET", path: "/schedules" },
  "command.brief": { method: "GET", path: "/brief" },
  "assessment.get": { method: "GET", path: "/assessment?scope={ref}", scoped: true },
  "audit.list": { method: "GET", path: "/audit-log" },
  "principal.list": { method: "GET", path: "/principals" },
  "principal.get": {
    method: "GET",
    path: "/principals/{id}",
    prepare: async () => ({ id: world.target }),
  },
  "principal.create": {
    method: "POST",
    path: "/principals",
    body: () => ({ kind: "service", name: `svc-${randomUUID().slice(0, 8)}` }),
  },
  "principal.update": {
    method: "PATCH",
    path: "/principals/{id}",
    body: () => ({ label: `Label ${randomUUID().slice(0, 6)}` }),
    prepare: async () => ({ id: world.target }),
  },
  "principal.disable": {
    method: "POST",
    path: "/principals/{id}/disable",
    prepare: async () => ({ id: await freshPrincipal() }),
  },
  "principal.enable": {
    method: "POST",
    path: "/principals/{id}/enable",
    prepare: async () => {
      const id = await freshPrincipal();
      await api("POST", `/principals/${id}/disable`);
      return { id };
    },
  },
  "principal.createToken": {
    method: "POST",
    path: "/principals/{id}/tokens",
    body: () => ({ name: "ci" }),
    prepare: async () => ({ id: world.target }),
  },
  "principal.revokeToken": {
    method: "DELETE",
    path: "/principals/{id}/tokens/{tokenId}",
    prepare: async () => {
      const response = await api("POST", `/principals/${world.target}/tokens`, {
        name: "to-revoke",
      });
      return { id: world.target, tokenId: ((await response.json()) as { id: string }).id };
    },
  },
  "principal.createGrant": {
    method: "POST",
    path: "/principals/{id}/grants",
    body: () => ({ role: "viewer", scope: { kind: "location", location: "campus.hq" } }),
    prepare: async () => ({ id: world.target }),
  },
  "principal.deleteGrant": {
    method: "DELETE",
    path: "/principals/{id}/grants/{grantId}",
    prepare: async () => {
      const response = await api("POST", `/principals/${world.target}/grants`, {
        role: "viewer",
        scope: { kind: "all" },
      });
      return { id: world.target, grantId: ((await response.json()) as { id: string }).id };
    },
  },
  // Node fixtures address the node edge-1 placed in campus.hq.floor-1 (made in beforeAll).
  "node.list": { method: "GET", path: "/nodes" },
  "node.get": { method: "GET", path: "/nodes/{ref}", scoped: true, ref: "edge-1" },
  "node.create": {
    method: "POST",
    path: "/nodes",
    body: () => ({ name: `edge-${randomUUID().slice(0, 8)}`, location: "{ref}" }),
    scoped: true,
  },
  "node.update": {
    method: "PATCH",
    path: "/nodes/{ref}",
    body: () => ({ label: `Edge ${randomUUID().slice(0, 6)}` }),
    scoped: true,
    ref: "edge-1",
  },
  "node.move": {
    method: "POST",
    path: "/nodes/{ref}/move",
    body: () => ({ location: "campus.hq" }),
    scoped: true,
    ref: "edge-1",
    prepare: async () => ({ ref: await freshNode() }),
  },
  "node.issueEnrollment": {
    method: "POST",
    path: "/nodes/{ref}/enrollment",
    scoped: true,
    ref: "edge-1",
  },
  "node.delete": {
    method: "DELETE",
    path: "/nodes/{ref}",
    scoped: true,
    ref: "edge-1",
    prepare: async () => ({ ref: await freshNode() }),
  },
  "node.rejections": {
    method: "GET",
    path: "/nodes/{ref}/rejections",
    scoped: true,
    ref: "edge-1",
  },
  "component.values": {
    method: "GET",
    path: "/components/{ref}/values",
    scoped: true,
    ref: DISPLAY,
  },
  "component.samples": {
    method: "GET",
    path: "/components/{ref}/samples?signal=temperature",
    scoped: true,
    ref: DISPLAY,
  },
  "component.rejections": {
    method: "GET",
    path: "/components/{ref}/rejections",
    scoped: true,
    ref: DISPLAY,
  },
  "system.values": { method: "GET", path: "/systems/{ref}/values", scoped: true, ref: AV },
  "system.samples": {
    method: "GET",
    path: "/systems/{ref}/samples?signal=temperature",
    scoped: true,
    ref: AV,
  },
  "location.values": { method: "GET", path: "/locations/{ref}/values", scoped: true },
  "location.samples": {
    method: "GET",
    path: "/locations/{ref}/samples?signal=temperature",
    scoped: true,
  },
  "component.health": {
    method: "GET",
    path: "/components/{ref}/health",
    scoped: true,
    ref: DISPLAY,
  },
  "component.healthHistory": {
    method: "GET",
    path: "/components/{ref}/health/history",
    scoped: true,
    ref: DISPLAY,
  },
  "system.health": { method: "GET", path: "/systems/{ref}/health", scoped: true, ref: AV },
  "system.healthHistory": {
    method: "GET",
    path: "/systems/{ref}/health/history",
    scoped: true,
    ref: AV,
  },
  "location.health": { method: "GET", path: "/locations/{ref}/health", scoped: true },
  "location.healthHistory": {
    method: "GET",
    path: "/locations/{ref}/health/history",
    scoped: true,
  },
  // Samples are telemetry, not configuration: no audit row. Out of scope is a per-sample rejection.
  "sample.push": {
    method: "POST",
    path: "/samples",
    body: () => ({ samples: [{ owner: DISPLAY, signal: "temperature", value: 20 }] }),
    status: 202,
    audits: 0,
  },
  "node.worklist": { method: "GET", path: "/nodes/self/worklist", succeedsAs: enrolledNode },
  // Tags and variables address the location campus.hq.floor-1 as `location.{ref}`.
  ...bindingFixtures("tag", "/tags", () => `v-${randomUUID().slice(0, 6)}`),
  ...bindingFixtures("variable", "/variables", () => ({ n: randomUUID().slice(0, 6) })),

  // Component fixtures address campus.hq.floor-1.display (made in beforeAll, serving av).
  "component.list": { method: "GET", path: "/components" },
  "component.get": { method: "GET", path: "/components/{ref}", scoped: true, ref: DISPLAY },
  "component.create": {
    method: "POST",
    path: "/components",
    body: () => ({
      name: `panel-${randomUUID().slice(0, 6)}`,
      location: "{ref}",
      template: "http-json-display",
    }),
    scoped: true,
  },
  "component.update": {
    method: "PATCH",
    path: "/components/{ref}",
    body: () => ({ label: `Display ${randomUUID().slice(0, 6)}` }),
    scoped: true,
    ref: DISPLAY,
  },
  "component.delete": {
    method: "DELETE",
    path: "/components/{ref}",
    scoped: true,
    ref: DISPLAY,
    prepare: async () => ({ ref: await freshComponent() }),
  },
  "component.rename": {
    method: "POST",
    path: "/components/{ref}/rename",
    body: () => ({ name: `renamed-${randomUUID().slice(0, 6)}` }),
    scoped: true,
    ref: DISPLAY,
    prepare: async () => ({ ref: await freshComponent() }),
  },
  "component.move": {
    method: "POST",
    path: "/components/{ref}/move",
    body: () => ({ location: "campus.hq" }),
    scoped: true,
    ref: DISPLAY,
    prepare: async () => ({ ref: await freshComponent() }),
  },
  "component.previewTemplateChange": {
    method: "GET",
    path: "/components/{ref}/template-change?template=http-json-display@1",
    scoped: true,
    ref: DISPLAY,
  },
  "component.changeTemplate": {
    method: "POST",
    path: "/components/{ref}/template",
    body: () => ({ template: "{template}@2" }),
    scoped: true,
    ref: DISPLAY,
    // A template of its own with two versions, and a component pinning the first.
    prepare: async () => {
      const template = await freshTemplate(2);
      return { ref: await freshComponent(`${template}@1`), template };
    },
  },
  "template.list": { method: "GET", path: "/templates" },
  "template.get": { method: "GET", path: "/templates/pjlink-projector" },
  "template.listVersions": { method: "GET", path: "/templates/pjlink-projector/versions" },
  "template.compare": {
    method: "GET",
    path: "/templates/pjlink-projector@1/compare?to=pjlink-projector@1",
  },
  "template.publish": {
    method: "POST",
    path: "/templates",
    body: () => ({
      document: { ...world.document, name: `suite-${randomUUID().slice(0, 8)}`, version: 1 },
    }),
  },
  "template.delete": {
    method: "DELETE",
    path: "/templates/{ref}",
    prepare: async () => ({ ref: `${await freshTemplate(1)}@1` }),
  },
  "signal.list": { method: "GET", path: "/signals" },
  "signal.get": { method: "GET", path: "/signals/power-state" },
  "signal.create": {
    method: "POST",
    path: "/signals",
    body: () => ({ ...SIGNAL, name: `suite-${randomUUID().slice(0, 8)}` }),
  },
  "signal.delete": {
    method: "DELETE",
    path: "/signals/{name}",
    prepare: async () => {
      const name = `doomed-${randomUUID().slice(0, 8)}`;
      await api("POST", "/signals", { ...SIGNAL, name });
      return { name };
    },
  },
  "system.rename": {
    method: "POST",
    path: "/systems/{ref}/rename",
    body: () => ({ name: `renamed-${randomUUID().slice(0, 6)}` }),
    scoped: true,
    ref: AV,
    prepare: async () => ({ ref: await freshSystem() }),
  },
  "system.move": {
    method: "POST",
    path: "/systems/{ref}/move",
    body: () => ({ location: "campus.hq" }),
    scoped: true,
    ref: AV,
    prepare: async () => ({ ref: await freshSystem() }),
  },
  "system.createType": {
    method: "POST",
    path: "/system-types",
    body: () => ({ name: `kind-${randomUUID().slice(0, 8)}`, label: "Kind" }),
  },
  "system.deleteType": {
    method: "DELETE",
    path: "/system-types/{name}",
    prepare: async () => {
      const name = `kind-${randomUUID().slice(0, 8)}`;
      await api("POST", "/system-types", { name, label: "Doomed" });
      return { name };
    },
  },
  "system.listMembers": { method: "GET", path: "/systems/{ref}/members", scoped: true, ref: AV },
  "system.addMember": {
    method: "POST",
    path: "/systems/{ref}/members",
    body: () => ({ component: "{component}" }),
    scoped: true,
    ref: AV,
    prepare: async () => ({ component: await freshComponent() }),
  },
  "system.updateMember": {
    method: "PATCH",
    path: "/systems/{ref}/members/{component}",
    body: () => ({ primary: false }),
    scoped: true,
    ref: AV,
    prepare: async () => ({ component: await freshComponent(undefined, AV) }),
  },
  "system.removeMember": {
    method: "DELETE",
    path: "/systems/{ref}/members/{component}",
    scoped: true,
    ref: AV,
    prepare: async () => ({ component: await freshComponent(undefined, AV) }),
  },
  "system.listRoles": { method: "GET", path: "/systems/{ref}/roles", scoped: true, ref: AV },
  "system.createRole": {
    method: "POST",
    path: "/systems/{ref}/roles",
    body: () => ({
      name: `role-${randomUUID().slice(0, 6)}`,
      accepts: ["display"],
      impact: "degraded",
    }),
    scoped: true,
    ref: AV,
  },
  "system.updateRole": {
    method: "PATCH",
    path: "/systems/{ref}/roles/{role}",
    body: () => ({ quorum: 2 }),
    scoped: true,
    ref: AV,
    prepare: async () => ({ role: await freshRole() }),
  },
  "system.deleteRole": {
    method: "DELETE",
    path: "/systems/{ref}/roles/{role}",
    scoped: true,
    ref: AV,
    prepare: async () => ({ role: await freshRole() }),
  },
  "location.move": {
    method: "POST",
    path: "/locations/{ref}/move",
    body: () => ({ parent: "campus.hq.floor-1" }),
    scoped: true,
  }, // Rules (a registry) and alarms (placed at their owner, the display): issue #13.
  "rule.list": { method: "GET", path: "/rules" },
  "rule.get": {
    method: "GET",
    path: "/rules/{ref}",
    prepare: async () => ({ ref: await ensureRule() }),
  },
  "rule.create": {
    method: "POST",
    path: "/rules",
    body: () => ({
      name: `suite-${randomUUID().slice(0, 8)}`,
      severity: "info",
      fire: 'signals["temperature"] > 90',
    }),
  },
  "rule.update": {
    method: "PATCH",
    path: "/rules/{ref}",
    body: () => ({ description: `changed ${randomUUID().slice(0, 8)}` }),
    prepare: async () => ({ ref: await ensureRule() }),
  },
  "rule.delete": {
    method: "DELETE",
    path: "/rules/{ref}",
    prepare: async () => {
      const name = `doomed-${randomUUID().slice(0, 8)}`;
      await api("POST", "/rules", { name, severity: "info", fire: 'signals["volume"] > 99' });
      return { ref: name };
    },
  },
  "rule.preview": {
    method: "POST",
    path: "/rules/{ref}/preview",
    body: () => ({ hours: 1 }),
    audits: 0,
    prepare: async () => ({ ref: await ensureRule() }),
  },
  "rule.previewDraft": {
    method: "POST",
    path: "/rules/preview",
    body: () => ({ rule: { severity: "info", fire: 'signals["reachable"] == false' }, hours: 1 }),
    audits: 0,
  },
  // Maintenance windows and silences (issue #14): placed at their scope or owner.
  "maintenanceWindow.list": { method: "GET", path: "/maintenance-windows" },
  "maintenanceWindow.get": {
    method: "GET",
    path: "/maintenance-windows/{ref}",
    scoped: true,
    get ref() {
      return SUPPRESS.window || "no-such-window";
    },
    prepare: async () => ({ ref: await ensureWindow() }),
  },
  "maintenanceWindow.create": {
    method: "POST",
    path: "/maintenance-windows",
    body: () => ({
      ...windowBody(`suite-${randomUUID().slice(0, 8)}`),
      scope: { kind: "location", ref: "{ref}" },
    }),
    scoped: true,
  },
  "maintenanceWindow.update": {
    method: "PATCH",
    path: "/maintenance-windows/{ref}",
    body: () => ({ description: `changed ${randomUUID().slice(0, 8)}` }),
    scoped: true,
    get ref() {
      return SUPPRESS.window || "no-such-window";
    },
    prepare: async () => ({ ref: await ensureWindow() }),
  },
  "maintenanceWindow.delete": {
    method: "DELETE",
    path: "/maintenance-windows/{ref}",
    prepare: async () => {
      const name = `doomed-${randomUUID().slice(0, 8)}`;
      await api("POST", "/maintenance-windows", windowBody(name));
      return { ref: name };
    },
  },
  "maintenanceWindow.preview": {
    method: "POST",
    path: "/maintenance-windows/{ref}/preview",
    body: () => ({ count: 2 }),
    audits: 0,
    scoped: true,
    get ref() {
      return SUPPRESS.window || "no-such-window";
    },
    prepare: async () => ({ ref: await ensureWindow() }),
  },
  "maintenanceWindow.previewDraft": {
    method: "POST",
    path: "/maintenance-windows/preview",
    body: () => ({
      window: { ...windowBody("draft"), scope: { kind: "location", ref: "{ref}" } },
      count: 2,
    }),
    audits: 0,
    scoped: true,
  },
  "silence.list": { method: "GET", path: "/silences" },
  "silence.get": {
    method: "GET",
    path: "/silences/{ref}",
    scoped: true,
    get ref() {
      return SUPPRESS.silence || NO_SILENCE;
    },
    prepare: async () => ({ ref: await ensureSilence() }),
  },
  "silence.create": {
    method: "POST",
    path: "/silences",
    body: () => silenceBody("{ref}"),
    scoped: true,
  },
  "silence.update": {
    method: "PATCH",
    path: "/silences/{ref}",
    body: () => ({ reason: `changed ${randomUUID().slice(0, 8)}` }),
    scoped: true,
    get ref() {
      return SUPPRESS.silence || NO_SILENCE;
    },
    prepare: async () => ({ ref: await ensureSilence() }),
  },
  "silence.expire": {
    method: "POST",
    path: "/silences/{ref}/expire",
    body: () => ({}),
    prepare: async () => ({ ref: await freshSilence() }),
  },
  // Actions (issue #14): an endpoint, a rule and a delivery placed on the hq floor (made by the
  // list fixtures' success cases, which run first) are out of the annex admin's scope.
  "webhookEndpoint.list": {
    method: "GET",
    path: "/webhook-endpoints",
    prepare: async () => (await ensureHqEndpoint(), {}),
  },
  "webhookEndpoint.get": {
    method: "GET",
    path: "/webhook-endpoints/{ref}",
    scoped: true,
    get ref() {
      return ACT.endpoint || NO_ALARM;
    },
    prepare: async () => ({ ref: await ensureHqEndpoint() }),
  },
  "webhookEndpoint.create": {
    method: "POST",
    path: "/webhook-endpoints",
    body: () => ({ name: `hook-${randomUUID().slice(0, 8)}`, url: "https://hooks.example.com/x" }),
  },
  "webhookEndpoint.update": {
    method: "PATCH",
    path: "/webhook-endpoints/{ref}",
    body: () => ({ label: `changed ${randomUUID().slice(0, 8)}` }),
    scoped: true,
    get ref() {
      return ACT.endpoint || NO_ALARM;
    },
    prepare: async () => ({ ref: await ensureHqEndpoint() }),
  },
  "webhookEndpoint.delete": {
    method: "DELETE",
    path: "/webhook-endpoints/{ref}",
    scoped: true,
    get ref() {
      return ACT.endpoint || NO_ALARM;
    },
    prepare: async () => ({ ref: await freshEndpoint("campus.hq.floor-1") }),
  },
  "webhookEndpoint.rotateSecret": {
    method: "POST",
    path: "/webhook-endpoints/{ref}/rotate-secret",
    body: () => ({}),
    scoped: true,
    get ref() {
      return ACT.endpoint || NO_ALARM;
    },
    prepare: async () => ({ ref: await ensureHqEndpoint() }),
  },
  "webhookEndpoint.test": {
    method: "POST",
    path: "/webhook-endpoints/{ref}/test",
    body: () => ({}),
    scoped: true,
    get ref() {
      return ACT.endpoint || NO_ALARM;
    },
    prepare: async () => ({ ref: await ensureHqEndpoint() }),
  },
  "actionRule.list": {
    method: "GET",
    path: "/action-rules",
    prepare: async () => (await ensureHqRule(), {}),
  },
  "actionRule.get": {
    method: "GET",
    path: "/action-rules/{ref}",
    scoped: true,
    get ref() {
      return ACT.rule || NO_ALARM;
    },
    prepare: async () => ({ ref: await ensureHqRule() }),
  },
  "actionRule.create": {
    method: "POST",
    path: "/action-rules",
    body: () => ({ name: `rule-${randomUUID().slice(0, 8)}`, endpointIds: ["{endpoint}"] }),
    prepare: async () => ({ endpoint: await freshEndpoint() }),
  },
  "actionRule.update": {
    method: "PATCH",
    path: "/action-rules/{ref}",
    body: () => ({ label: `changed ${randomUUID().slice(0, 8)}` }),
    scoped: true,
    get ref() {
      return ACT.rule || NO_ALARM;
    },
    prepare: async () => ({ ref: await ensureHqRule() }),
  },
  "actionRule.delete": {
    method: "DELETE",
    path: "/action-rules/{ref}",
    scoped: true,
    get ref() {
      return ACT.rule || NO_ALARM;
    },
    prepare: async () => ({ ref: await freshHqRule() }),
  },
  "delivery.list": {
    method: "GET",
    path: "/deliveries",
    prepare: async () => (await ensureHqDelivery(), {}),
  },
  "delivery.get": {
    method: "GET",
    path: "/deliveries/{ref}",
    scoped: true,
    get ref() {
      return ACT.delivery || NO_DELIVERY;
    },
    prepare: async () => ({ ref: await ensureHqDelivery() }),
  },
  "delivery.replay": {
    method: "POST",
    path: "/deliveries/msg_{id}/replay",
    body: () => ({}),
    prepare: async () => ({ id: (await freshDelivery()).slice("msg_".length) }),
  },
  "delivery.replayRange": {
    method: "POST",
    path: "/deliveries/replay",
    body: () => ({
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    }),
  },
  "alarm.list": {
    method: "GET",
    path: "/alarms",
    prepare: async () => (await openAlarm(), {}),
  },
  "alarm.get": {
    method: "GET",
    path: "/alarms/{ref}",
    scoped: true,
    get ref() {
      return ALARM.id || NO_ALARM;
    },
    prepare: async () => ({ ref: await openAlarm() }),
  },
  "alarm.why": {
    method: "GET",
    path: "/alarms/{ref}/why",
    scoped: true,
    get ref() {
      return ALARM.id || NO_ALARM;
    },
    prepare: async () => ({ ref: await openAlarm() }),
  },
  "alarm.acknowledge": {
    method: "POST",
    path: "/alarms/{ref}/acknowledge",
    body: () => ({ comment: `suite ${randomUUID().slice(0, 8)}` }),
    scoped: true,
    get ref() {
      return ALARM.id || NO_ALARM;
    },
    prepare: async () => ({ ref: await openAlarm() }),
  },
  "alarm.acknowledgeMany": {
    method: "POST",
    path: "/alarms/acknowledge",
    body: () => ({ ids: [ALARM.id || NO_ALARM], comment: "suite, in bulk" }),
    prepare: async () => (await openAlarm(), {}),
  },
  "alarm.unacknowledge": {
    method: "POST",
    path: "/alarms/{ref}/unacknowledge",
    scoped: true,
    get ref() {
      return ALARM.id || NO_ALARM;
    },
    prepare: async () => {
      const id = await openAlarm();
      await api("POST", `/alarms/${id}/acknowledge`, { comment: "to withdraw" });
      return { ref: id };
    },
  },
  "alarm.resolve": {
    method: "POST",
    path: "/alarms/{ref}/resolve",
    body: () => ({ reason: "suite" }),
    scoped: true,
    get ref() {
      return ALARM.id || NO_ALARM;
    },
    prepare: async () => ({ ref: await openAlarm() }),
  },
  // Estate as code (#15): plans of an estate file declaring nothing (no changes; everything
  // stays unmanaged), a fresh comment each time so each is a plan of its own.
  "estate.validate": {
    method: "POST",
    path: "/estate/validate",
    body: () => ({ files: [{ path: "estate.yaml", content: "version: 1\n" }] }),
    audits: 0,
  },
  "estate.plan": {
    method: "POST",
    path: "/estate/plans",
    body: estateFiles,
  },
  "estate.plans": { method: "GET", path: "/estate/plans" },
  "estate.getPlan": {
    method: "GET",
    path: "/estate/plans/{ref}",
    scoped: true,
    get ref() {
      return PLAN.id || "no-such-plan";
    },
    prepare: async () => ({ ref: await freshPlan() }),
  },
  "estate.approve": {
    method: "POST",
    path: "/estate/plans/{ref}/approve",
    body: () => ({ comment: "suite" }),
    // The planner may not approve its own plan: another admin does, granted before the plan
    // is made (a grant is part of the estate: granting after would make the plan stale).
    prepare: async () => {
      const id = await freshPrincipal();
      await api("POST", `/principals/${id}/grants`, { role: "admin", scope: { kind: "all" } });
      const token = await api("POST", `/principals/${id}/tokens`, { name: "approver" });
      PLAN.approver = ((await token.json()) as { token: string }).token;
      return { ref: await freshPlan() };
    },
    succeedsAs: async () => PLAN.approver,
  },
  "estate.applyPlan": {
    method: "POST",
    path: "/estate/plans/{ref}/apply",
    body: () => ({}),
    scoped: true,
    get ref() {
      return PLAN.id || "no-such-plan";
    },
    prepare: async () => ({ ref: await freshPlan() }),
  },
  "estate.status": { method: "GET", path: "/estate/status" },
  "estate.drift": { method: "GET", path: "/estate/drift" },
  "estate.export": { method: "GET", path: "/estate/export" },
  "estate.managed": {
    method: "GET",
    path: "/estate/managed?address=location.campus.hq",
  },
  "estate.lock": { method: "GET", path: "/estate/lock" },
  // No lock is held in the suite: 404 naming the lock id (force-unlock of a held lock, audited,
  // is tested in estate-file.integration.test.ts).
  "estate.forceUnlock": {
    method: "POST",
    path: "/estate/lock/force-unlock",
    body: () => ({ lockId: randomUUID() }),
    status: 404,
    audits: 0,
  },
  "estate.schema": { method: "GET", path: "/estate/schema" },
};

const PLAN = { id: "", approver: "" };
function estateFiles() {
  return {
    files: [{ path: "estate.yaml", content: `version: 1\n# suite ${randomUUID()}\n` }],
  };
}
async function freshPlan(): Promise<string> {
  const response = await api("POST", "/estate/plans", estateFiles());
  PLAN.id = ((await response.json()) as { id: string }).id;
  return PLAN.id;
}

describe("security suite", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let deps: ApiDependencies;
  const tokens: Record<"owner" | "nobody" | "viewer" | "operatorHq" | "adminAnnex", string> =
    {} as never;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    deps = createApiDependencies({
      version: "test",
      db: handle.db,
      probeBus: async () => ({ status: "up", latencyMs: 0, error: null }),
      // Webhook endpoints (issue #14) seal their signing secret under it.
      secretKey: parseSecretKey(newSecretKeyBase64()),
    });
    const meta = {
      requestId: "setup",
      source: "cli" as const,
      actor: null,
      realActor: null,
      ip: null,
    };
    const owner = await unsafeBootstrapOwner({
      db: handle.db,
      meta,
      username: "root",
      password: ROOT_PASSWORD,
    });
    tokens.owner = owner.token;
    const actor = (await loadActor(handle.db, owner.principalId))!;
    for (const [name, type, parent] of [
      ["campus", "campus", undefined],
      ["hq", "building", "campus"],
      ["annex", "building", "campus"],
      ["floor-1", "floor", "campus.hq"],
    ] as const) {
      await createLocation({ db: handle.db, actor, meta, input: { name, type, parent } });
    }
    world.asOwner = (method: string, path: string, body?: unknown) =>
      call(
        {
          method: method as Fixture["method"],
          path,
          body: body === undefined ? undefined : () => body,
        },
        owner.token,
        "",
      );
    world.target = await freshPrincipal();
    await api("POST", "/systems", {
      name: "av",
      type: "meeting-room",
      location: "campus.hq.floor-1",
    });
    await api("POST", "/nodes", { name: "edge-1", location: "campus.hq.floor-1" });
    world.document = (
      (await (await api("GET", "/templates/http-json-display")).json()) as {
        document: Record<string, unknown>;
      }
    ).document;
    await api("POST", "/components", {
      name: "display",
      location: "campus.hq.floor-1",
      template: "http-json-display",
      system: AV,
    });
    tokens.nobody = (await createTestPrincipal(database.url, { name: "nobody", grants: [] })).token;
    tokens.viewer = (
      await createTestPrincipal(database.url, { name: "viewer", grants: [{ role: "viewer" }] })
    ).token;
    tokens.operatorHq = (
      await createTestPrincipal(database.url, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    tokens.adminAnnex = (
      await createTestPrincipal(database.url, {
        name: "admin-annex",
        grants: [{ role: "admin", location: "campus.annex" }],
      })
    ).token;
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  async function call(
    fixture: Fixture,
    token: string | null,
    ref: string,
    values: Record<string, string> = {},
  ) {
    const placeholders: Record<string, string> = {
      id: randomUUID(),
      tokenId: randomUUID(),
      grantId: randomUUID(),
      component: randomUUID(),
      role: "none-such",
      name: "none-such",
      template: "none-such",
      ref,
      ...values,
    };
    const path = fixture.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(placeholders[name] ?? ""),
    );
    const body = fixture.body
      ? JSON.stringify(fixture.body(), (_k, v: unknown) =>
          typeof v === "string"
            ? v.replace(/\{(\w+)\}/g, (_m, name: string) => placeholders[name] ?? "")
            : v,
        )
      : undefined;
    const headers = new Headers({
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    });
    const request = new Request(`http://127.0.0.1/api/v1${path}`, {
      method: fixture.method,
      headers,
      body,
    });
    return handleRestRequest(
      request,
      createContext({ deps, requestId: randomUUID(), source: "rest", ip: "127.0.0.1", headers }),
    );
  }

  const auditCount = () => unsafeCountAuditRows(handle.db);

  /**
   * Every table (read from information_schema: a new table is covered without touching this), so
   * a refused call is seen to change nothing anywhere. What authenticating itself stamps is left
   * out: a token's or session's last use.
   */
  async function snapshot() {
    return JSON.stringify(await unsafeSnapshotTables(handle.db, { ignore: VOLATILE }));
  }

  it("every procedure is public by decision or declares exactly one capability", () => {
    for (const { path, meta } of listProcedures()) {
      if (PUBLIC.has(path)) {
        expect(meta.capability, path).toBeUndefined();
        continue;
      }
      expect(meta.capability, `${path} declares no capability`).toMatch(
        /^[a-z][a-z-]*:[a-z][a-z-]*$/,
      );
    }
  });

  it("the 'changing nothing' snapshot covers every table, grants and tokens included", async () => {
    const tables = Object.keys(JSON.parse(await snapshot()) as Record<string, string>);
    expect(tables.length).toBeGreaterThanOrEqual(25);
    expect(tables).toEqual(expect.arrayContaining(["role_grant", "api_token", "audit_log"]));
  });

  it("every guarded procedure has a fixture here", () => {
    const guarded = listProcedures()
      .filter((p) => !PUBLIC.has(p.path))
      .map((p) => p.path)
      .sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(guarded);
  });

  for (const [path, fixture] of Object.entries(FIXTURES)) {
    describe(path, () => {
      it("answers 401 without credentials, and with a token that is not one, changing nothing", async () => {
        const before = [await snapshot(), await auditCount()];
        for (const token of [null, "og_not-a-real-token", "garbage"]) {
          const response = await call(fixture, token, fixture.ref ?? "campus.hq.floor-1");
          expect(response.status, String(token)).toBe(401);
          expect(Problem.parse(await response.json()).code).toBe("UNAUTHENTICATED");
        }
        expect([await snapshot(), await auditCount()]).toEqual(before);
      });

      if (!SELF.has(path)) {
        it("answers 403 to a principal without the capability, changing nothing", async () => {
          const before = [await snapshot(), await auditCount()];
          const response = await call(fixture, tokens.nobody, fixture.ref ?? "campus.hq.floor-1");
          expect(response.status).toBe(403);
          expect(Problem.parse(await response.json()).code).toBe("FORBIDDEN");
          expect([await snapshot(), await auditCount()]).toEqual(before);
        });
      }

      if (fixture.scoped) {
        it("answers 404 to a principal scoped elsewhere, exactly as for a missing id, changing nothing", async () => {
          const before = [await snapshot(), await auditCount()];
          const outside = await call(
            fixture,
            tokens.adminAnnex,
            fixture.ref ?? "campus.hq.floor-1",
          );
          const missing = await call(fixture, tokens.adminAnnex, randomUUID());
          expect(outside.status).toBe(404);
          const [a, b] = [Problem.parse(await outside.json()), Problem.parse(await missing.json())];
          expect({ status: a.status, code: a.code, title: a.title, detail: a.detail }).toEqual({
            status: b.status,
            code: b.code,
            title: b.title,
            detail: b.detail,
          });
          expect([await snapshot(), await auditCount()]).toEqual(before);
        });
      }

      it("succeeds for the owner, writing exactly one audit row per mutation", async () => {
        // Deleting, renaming or moving consumes the location: those get a fresh one.
        const consumes =
          fixture.path.startsWith("/locations/") &&
          (fixture.method === "DELETE" ||
            fixture.path.endsWith("/rename") ||
            fixture.path.endsWith("/move"));
        const ref = consumes ? await freshLocation() : (fixture.ref ?? "campus.hq.floor-1");
        const values = (await fixture.prepare?.()) ?? {};
        const token = fixture.succeedsAs ? await fixture.succeedsAs() : tokens.owner;
        const before = await auditCount();
        const response = await call(fixture, token, ref, values);
        expect(response.status, await response.clone().text()).toBe(fixture.status ?? 200);
        expect(await auditCount()).toBe(
          before + (fixture.audits ?? (fixture.method === "GET" ? 0 : 1)),
        );
      });
    });
  }

  async function freshLocation() {
    const response = await call(FIXTURES["location.create"]!, tokens.owner, "campus.hq");
    return ((await response.json()) as { path: string }).path;
  }

  describe("narrow principals", () => {
    it("lets a viewer read but not write", async () => {
      expect((await call(FIXTURES["location.get"]!, tokens.viewer, "campus.annex")).status).toBe(
        200,
      );
      const write = await call(FIXTURES["location.update"]!, tokens.viewer, "campus.annex");
      expect(write.status).toBe(403);
    });

    it("scopes an operator to its building: reads inside, 404 outside, 403 for writes it may read", async () => {
      const list = (await (
        await call(FIXTURES["location.list"]!, tokens.operatorHq, "")
      ).json()) as { items: { path: string }[] };
      const paths = list.items.map((l) => l.path);
      expect(paths.slice(0, 2)).toEqual(["campus.hq", "campus.hq.floor-1"]);
      expect(paths.every((p) => p === "campus.hq" || p.startsWith("campus.hq."))).toBe(true);
      expect(
        (await call(FIXTURES["location.get"]!, tokens.operatorHq, "campus.hq.floor-1")).status,
      ).toBe(200);
      expect(
        (await call(FIXTURES["location.get"]!, tokens.operatorHq, "campus.annex")).status,
      ).toBe(404);
      expect(
        (await call(FIXTURES["location.update"]!, tokens.operatorHq, "campus.hq")).status,
      ).toBe(403);
    });

    it("lets an admin scoped to one building create inside it and nowhere else", async () => {
      const inside = await call(FIXTURES["location.create"]!, tokens.adminAnnex, "campus.annex");
      expect(inside.status).toBe(200);
      const outside = await call(FIXTURES["location.create"]!, tokens.adminAnnex, "campus.hq");
      expect(outside.status).toBe(404);
    });
  });

  /** A REST call as the principal holding `token`: status and problem detail (or body). */
  async function as(token: string, method: Fixture["method"], path: string, body?: unknown) {
    const response = await call(
      { method, path, body: body === undefined ? undefined : () => body },
      token,
      "",
    );
    const text = await response.text();
    return { status: response.status, text };
  }

  describe("no sequence of allowed calls widens a principal's reach", () => {
    const ROOM = "campus.annex.room-s";
    const S = `${ROOM}.s`;
    let north: string;
    let member: string;
    let split: { id: string; token: string };
    let splitByLocation: { id: string; token: string };

    beforeAll(async () => {
      await api("POST", "/locations", { name: "room-s", type: "room", parent: "campus.annex" });
      await api("POST", "/systems", { name: "s", type: "meeting-room", location: ROOM });
      await api("POST", `/systems/${S}/roles`, {
        name: "displays",
        accepts: ["display"],
        impact: "none",
      });
      north = await freshComponent();
      // Placed in the north building by someone allowed to (the owner), serving S.
      member = await freshComponent();
      await api("POST", `/systems/${S}/members`, { component: member });
      // Viewer on the north building, admin on one room elsewhere.
      split = await createTestPrincipal(database.url, {
        name: "split",
        grants: [
          { role: "viewer", location: "campus.hq" },
          { role: "admin", location: ROOM },
        ],
      });
      splitByLocation = await createTestPrincipal(database.url, {
        name: "split-by-location",
        grants: [
          { role: "viewer", location: "campus.hq" },
          { role: "admin", location: ROOM },
        ],
      });
    });

    it("grant → member → act: adding a component it may only read to its own system is 403, and so is every act after", async () => {
      const empty = `${ROOM}.empty`;
      await api("POST", "/systems", { name: "empty", type: "meeting-room", location: ROOM });
      const granted = await as(split.token, "POST", `/principals/${split.id}/grants`, {
        role: "admin",
        scope: { kind: "system", system: empty },
      });
      expect(granted.status, granted.text).toBe(200);
      const before = [await snapshot(), await auditCount()];
      const added = await as(split.token, "POST", `/systems/${empty}/members`, {
        component: north,
      });
      expect(added.status, added.text).toBe(403);
      expect(
        (await as(split.token, "PATCH", `/components/${north}`, { label: "mine" })).status,
      ).toBe(403);
      expect(
        (await as(split.token, "POST", `/components/${north}/move`, { location: ROOM })).status,
      ).toBe(403);
      expect((await as(split.token, "DELETE", `/components/${north}`)).status).toBe(403);
      expect([await snapshot(), await auditCount()]).toEqual(before);
    });

    it("filling a role, changing or ending a membership needs update scope on the component too", async () => {
      const before = [await snapshot(), await auditCount()];
      for (const [method, path, body] of [
        ["PATCH", `/systems/${S}/members/${member}`, { role: "displays" }],
        ["POST", `/systems/${S}/members`, { component: north, role: "displays" }],
        ["DELETE", `/systems/${S}/members/${member}`, undefined],
      ] as const) {
        const answer = await as(splitByLocation.token, method, path, body);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(403);
      }
      expect([await snapshot(), await auditCount()]).toEqual(before);
    });

    it("a grant on a system is refused when its role would reach members beyond the granter", async () => {
      const before = [await snapshot(), await auditCount()];
      const granted = await as(
        splitByLocation.token,
        "POST",
        `/principals/${splitByLocation.id}/grants`,
        { role: "admin", scope: { kind: "system", system: S } },
      );
      expect(granted.status, granted.text).toBe(403);
      expect(granted.text).not.toContain(member);
      expect(
        (await as(splitByLocation.token, "PATCH", `/components/${member}`, { label: "x" })).status,
      ).toBe(403);
      expect([await snapshot(), await auditCount()]).toEqual(before);
    });

    it("a system grant carries reads and field updates to members, never placement verbs", async () => {
      const holder = await createTestPrincipal(database.url, {
        name: "system-admin",
        grants: [
          { role: "admin", system: S },
          { role: "admin", location: ROOM },
        ],
      });
      const patched = await as(holder.token, "PATCH", `/components/${member}`, { label: "Wall" });
      expect(patched.status, patched.text).toBe(200);
      const before = [await snapshot(), await auditCount()];
      for (const [method, path, body] of [
        ["POST", `/components/${member}/move`, { location: ROOM }],
        ["POST", `/components/${member}/rename`, { name: "taken-away" }],
        ["DELETE", `/components/${member}`, undefined],
      ] as const) {
        const answer = await as(holder.token, method, path, body);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(403);
      }
      expect([await snapshot(), await auditCount()]).toEqual(before);
    });
  });

  it("every registry write refuses an admin scoped below all (403 on scope all), changing nothing", async () => {
    const adminHq = await createTestPrincipal(database.url, {
      name: "admin-hq",
      grants: [{ role: "admin", location: "campus.hq" }],
    });
    const registryWrites = listProcedures().filter(
      (p) => p.meta.capability && isRegistryWrite(p.meta.capability),
    );
    expect(registryWrites.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        "locationType.create",
        "system.createType",
        "signal.create",
        "template.publish",
      ]),
    );
    for (const { path } of registryWrites) {
      const fixture = FIXTURES[path];
      if (!fixture) throw new Error(`${path} writes a registry and has no fixture here`);
      const values = (await fixture.prepare?.()) ?? {};
      const before = [await snapshot(), await auditCount()];
      const response = await call(
        fixture,
        adminHq.token,
        fixture.ref ?? "campus.hq.floor-1",
        values,
      );
      const text = await response.text();
      expect(response.status, `${path}: ${text}`).toBe(403);
      expect(text, path).toMatch(/on scope all/);
      expect([await snapshot(), await auditCount()], path).toEqual(before);
    }
  });

  it("a refused delete names only what the caller may read and counts the rest", async () => {
    await api("POST", "/locations", { name: "floor-9", type: "floor", parent: "campus.hq" });
    for (const name of ["room-a", "room-b"])
      await api("POST", "/locations", { name, type: "room", parent: "campus.hq.floor-9" });
    const floorAdmin = await createTestPrincipal(database.url, {
      name: "floor-admin",
      grants: [{ role: "admin", location: "campus.hq.floor-9", operator: "self" }],
    });
    const refused = await as(floorAdmin.token, "DELETE", "/locations/campus.hq.floor-9");
    expect(refused.status, refused.text).toBe(409);
    expect(refused.text).not.toMatch(/room-a|room-b/);
    expect(refused.text).toContain("2 more you cannot see");
    const asOwner = await api("DELETE", "/locations/campus.hq.floor-9");
    expect(await asOwner.text()).toMatch(/room-a, campus\.hq\.floor-9\.room-b/);
  });

  it("anyone may read and update themselves, with no grant or only the node role, but nobody else", async () => {
    for (const grants of [[], [{ role: "node" as const }]]) {
      const principal = await createTestPrincipal(database.url, {
        name: `self-${randomUUID().slice(0, 8)}`,
        grants,
      });
      const own = await as(principal.token, "GET", `/principals/${principal.id}`);
      expect(own.status, own.text).toBe(200);
      expect(JSON.parse(own.text)).toMatchObject({ id: principal.id });
      const renamed = await as(principal.token, "PATCH", `/principals/${principal.id}`, {
        label: "Me",
      });
      expect(renamed.status, renamed.text).toBe(200);
      expect((await as(principal.token, "GET", `/principals/${world.target}`)).status).toBe(403);
    }
  });
});
