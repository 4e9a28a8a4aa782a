import type { TemplateDocument, TemplateProtocol } from "@omniglass/contracts";
import { OmniglassError } from "./errors";

const DURATION = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `30s` → 30000. A duration is a whole number and a unit (ms, s, m, h); anything else is INVALID. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  const milliseconds = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!Number.isSafeInteger(milliseconds)) {
    throw new OmniglassError(
      "INVALID",
      `"${text}" is not a duration: write a whole number and a unit, ms, s, m or h (e.g. 30s, 5m)`,
    );
  }
  return milliseconds;
}

/** One signal a template produces, and the first function (in document order) that produces it. */
export interface ProducedSignal {
  signal: string;
  function: string;
  interface: string;
  protocol: TemplateProtocol;
  intervalMs: number;
}

/** The signals a template produces, one entry per signal (the first function wins), by name. */
export function signalsOf(doc: TemplateDocument): ProducedSignal[] {
  const interfaces = new Map(doc.interfaces.map((item) => [item.name, item]));
  const produced = new Map<string, ProducedSignal>();
  for (const fn of doc.functions) {
    for (const output of fn.outputs) {
      if (produced.has(output.signal)) continue;
      produced.set(output.signal, {
        signal: output.signal,
        function: fn.name,
        interface: fn.interface,
        protocol: interfaces.get(fn.interface)?.protocol ?? fn.request.protocol,
        intervalMs: parseDuration(fn.interval),
      });
    }
  }
  return [...produced.values()].sort((a, b) => compareText(a.signal, b.signal));
}

/** What moving a component from one template version to another changes: names, sorted. */
export interface TemplateComparison {
  signalsGained: string[];
  signalsLost: string[];
  interfacesAdded: string[];
  interfacesRemoved: string[];
  interfacesChanged: string[];
  functionsAdded: string[];
  functionsRemoved: string[];
  functionsChanged: string[];
  rulesAdded: string[];
  rulesRemoved: string[];
  rulesChanged: string[];
  dependenciesChanged: boolean;
}

/**
 * Compare two template documents (usually two versions of one template), as shown to an operator
 * before a component moves from `from` to `to`. Items are matched by name; an item is changed when
 * any of its fields differs. Dependencies are compared as a set of (kind, reason).
 */
export function compareTemplates(from: TemplateDocument, to: TemplateDocument): TemplateComparison {
  const signalsBefore = new Set(signalsOf(from).map((item) => item.signal));
  const signalsAfter = new Set(signalsOf(to).map((item) => item.signal));
  const interfaces = compareNamed(from.interfaces, to.interfaces);
  const functions = compareNamed(from.functions, to.functions);
  const rules = compareNamed(from.rules, to.rules);
  const dependencies = (doc: TemplateDocument) =>
    doc.dependencies
      .map((item) => canonical(item))
      .sort(compareText)
      .join("\n");
  return {
    signalsGained: [...signalsAfter].filter((name) => !signalsBefore.has(name)).sort(compareText),
    signalsLost: [...signalsBefore].filter((name) => !signalsAfter.has(name)).sort(compareText),
    interfacesAdded: interfaces.added,
    interfacesRemoved: interfaces.removed,
    interfacesChanged: interfaces.changed,
    functionsAdded: functions.added,
    functionsRemoved: functions.removed,
    functionsChanged: functions.changed,
    rulesAdded: rules.added,
    rulesRemoved: rules.removed,
    rulesChanged: rules.changed,
    dependenciesChanged: dependencies(from) !== dependencies(to),
  };
}

function compareNamed<T extends { name: string }>(before: T[], after: T[]) {
  const old = new Map(before.map((item) => [item.name, canonical(item)]));
  const now = new Map(after.map((item) => [item.name, canonical(item)]));
  return {
    added: [...now.keys()].filter((name) => !old.has(name)).sort(compareText),
    removed: [...old.keys()].filter((name) => !now.has(name)).sort(compareText),
    changed: [...now]
      .filter(([name, value]) => old.has(name) && old.get(name) !== value)
      .map(([name]) => name)
      .sort(compareText),
  };
}

/** JSON with object keys sorted and undefined members dropped, so equal values compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => compareText(a, b)),
        )
      : item,
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
