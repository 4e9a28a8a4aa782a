import { describe, expect, it } from "vitest";
import {
  findDependencyRoot,
  type DependentComponent,
  type DependencyModel,
  type RootAlarm,
  type DependencySystem,
} from "./dependency";

// Hints as the official templates declare them (packages/gateway/templates/*.yaml).
const DISPLAY_HINTS = [
  { kind: "control-processor", reason: "The room's control processor switches the display on." },
  { kind: "network-switch", reason: "The display is monitored through this switch." },
];
const CP_HINTS = [
  {
    kind: "network-switch",
    reason: "The control processor reaches its devices through this switch.",
  },
];

function component(
  path: string,
  kind: string,
  systems: string[],
  options: {
    hints?: DependentComponent["dependencies"];
    polledBy?: string[];
    primary?: string;
  } = {},
): DependentComponent {
  return {
    path,
    kind,
    dependencies:
      options.hints ??
      (kind === "display" ? DISPLAY_HINTS : kind === "control-processor" ? CP_HINTS : []),
    systems: systems.map((s, index) => ({
      path: s,
      primary: options.primary ? s === options.primary : index === 0,
    })),
    polledBy: options.polledBy ?? ["node-a"],
  };
}

function model(components: DependentComponent[]): DependencyModel {
  const systems = new Map<string, DependencySystem>();
  for (const c of components) {
    for (const { path } of c.systems) {
      const system = systems.get(path) ?? { path, members: [] };
      systems.set(path, {
        path,
        members: [
          ...system.members,
          { component: c.path, kind: c.kind, role: c.kind.split("-")[0]! },
        ],
      });
    }
  }
  return { components: new Map(components.map((c) => [c.path, c])), systems };
}

const alarm = (
  id: string,
  path: string,
  kind: "component" | "node" = "component",
  at = "2026-12-01T10:00:00Z",
): RootAlarm => ({
  id,
  owner: { kind, path },
  openedAt: new Date(at),
});

// A room: a display, a control processor and a switch, all polled by node-a.
const room = "north.b1.room-2";
const display = `${room}.display`;
const cp = `${room}.cp`;
const sw = `${room}.switch`;
const roomModel = model([
  component(display, "display", [room]),
  component(cp, "control-processor", [room]),
  component(sw, "network-switch", [room]),
]);

const rootOf = (m: DependencyModel, path: string, roots: RootAlarm[]) => {
  const decision = findDependencyRoot(path, m, roots);
  return decision.suppressed ? decision.root.id : null;
};

describe("findDependencyRoot", () => {
  it.each<[string, RootAlarm[], string | null]>([
    ["no open roots", [], null],
    ["the control processor down", [alarm("cp-down", cp)], "cp-down"],
    ["the switch down", [alarm("sw-down", sw)], "sw-down"],
    [
      "both down: the first declared hint (control processor) wins the tie",
      [alarm("sw-down", sw), alarm("cp-down", cp)],
      "cp-down",
    ],
    ["its poller down", [alarm("node-down", "node-a", "node")], "node-down"],
    ["a root elsewhere", [alarm("other", "south.room-1.switch")], null],
    ["its own alarm never suppresses it", [alarm("self", display)], null],
  ])("the display: %s", (_, roots, expected) => {
    expect(rootOf(roomModel, display, roots)).toBe(expected);
  });

  it("names the chain of links for the why panel", () => {
    expect(findDependencyRoot(display, roomModel, [alarm("sw-down", sw)])).toEqual({
      suppressed: true,
      root: alarm("sw-down", sw),
      links: [
        {
          via: "template",
          from: display,
          to: sw,
          dependsOn: "network-switch",
          reason: "The display is monitored through this switch.",
          system: room,
          role: "network",
        },
      ],
    });
  });

  it("follows links transitively: a display behind a switch polled by a dead node", () => {
    const m = model([
      component(display, "display", [room], { polledBy: ["node-b"] }),
      component(sw, "network-switch", [room], { polledBy: ["node-a"] }),
    ]);
    const decision = findDependencyRoot(display, m, [alarm("node-down", "node-a", "node")]);
    expect(decision.suppressed && decision.links.map((l) => `${l.via}:${l.from}→${l.to}`)).toEqual([
      `template:${display}→${sw}`,
      `poller:${sw}→node-a`,
    ]);
  });

  it("the nearest root wins over an earlier hint's farther one", () => {
    // The control processor is fine, but it is also in a core system whose switch is down (2
    // links away); the room's own switch is down too (1 link away).
    const m = model([
      component(display, "display", [room], { polledBy: [] }),
      component(cp, "control-processor", [room, "north.core"], { polledBy: [] }),
      component(sw, "network-switch", [room], { polledBy: [] }),
      component("north.core.switch", "network-switch", ["north.core"], { polledBy: [] }),
    ]);
    const roots = [alarm("core-down", "north.core.switch"), alarm("room-sw-down", sw)];
    expect(rootOf(m, display, roots)).toBe("room-sw-down");
    expect(rootOf(m, display, [roots[0]!])).toBe("core-down");
  });

  it("a component in two systems: its primary system's switch first, then by path", () => {
    const shared = (primary: string) =>
      model([
        component("campus.av.codec", "display", ["campus.av", "campus.hall"], {
          primary,
          polledBy: [],
        }),
        component("campus.av.switch", "network-switch", ["campus.av"]),
        component("campus.hall.switch", "network-switch", ["campus.hall"]),
      ]);
    const roots = [alarm("av-sw", "campus.av.switch"), alarm("hall-sw", "campus.hall.switch")];
    expect(rootOf(shared("campus.av"), "campus.av.codec", roots)).toBe("av-sw");
    expect(rootOf(shared("campus.hall"), "campus.av.codec", roots)).toBe("hall-sw");
  });

  it("at one owner: the earliest-opened alarm, then the smallest id", () => {
    const early = alarm("b", sw, "component", "2026-12-01T09:00:00Z");
    const late = alarm("a", sw, "component", "2026-12-01T11:00:00Z");
    expect(rootOf(roomModel, display, [late, early])).toBe("b");
    const same = alarm("a", sw, "component", "2026-12-01T09:00:00Z");
    expect(rootOf(roomModel, display, [early, same])).toBe("a");
  });

  it("only members of a hinted kind are dependencies; a component without hints depends on its poller only", () => {
    const m = model([
      component(display, "display", [room]),
      component(`${room}.display-2`, "display", [room]),
      component(sw, "network-switch", [room]),
    ]);
    expect(rootOf(m, display, [alarm("other-display", `${room}.display-2`)])).toBeNull();
    expect(rootOf(m, sw, [alarm("d", display)])).toBeNull();
    expect(rootOf(m, sw, [alarm("n", "node-a", "node")])).toBe("n");
  });

  it("terminates on a cycle and stops at the depth limit", () => {
    const loop = model([
      component("r.a", "a", ["r"], { hints: [{ kind: "b", reason: "a needs b" }], polledBy: [] }),
      component("r.b", "b", ["r"], { hints: [{ kind: "a", reason: "b needs a" }], polledBy: [] }),
    ]);
    expect(rootOf(loop, "r.a", [alarm("x", "r.c")])).toBeNull();
    const chain = model(
      ["k0", "k1", "k2", "k3"].map((kind, i) =>
        component(`r.${kind}`, kind, ["r"], {
          hints: [{ kind: `k${i + 1}`, reason: "next" }],
          polledBy: [],
        }),
      ),
    );
    expect(rootOf(chain, "r.k0", [alarm("end", "r.k3")])).toBe("end");
    expect(findDependencyRoot("r.k0", chain, [alarm("end", "r.k3")], 2)).toEqual({
      suppressed: false,
    });
  });

  it("an unknown component is not suppressed", () => {
    expect(rootOf(roomModel, "nowhere", [alarm("sw-down", sw)])).toBeNull();
  });
});
