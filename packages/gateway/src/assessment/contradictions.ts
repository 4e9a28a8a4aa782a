import type {
  AssessmentComponent,
  AssessmentSample,
  AssessmentSystem,
  Contradiction,
} from "@omniglass/contracts";
import type { RawComponent } from "./build-assessment";

/*
 * What is declared against what is observed (issue #16 §6):
 *
 * - the inventory's vendor, model, serial and MAC (the component's columns) against the
 *   `manufacturer`, `model`, `serial-number` and `mac-address` the device reports. Vendor and
 *   model agree when one contains the other once case and punctuation are dropped ("Samsung" and
 *   "Samsung Electronics"); serial and MAC must be equal that way. Nothing observed yet is a
 *   coverage gap, not a contradiction.
 * - a declaration: a tag on the component itself whose key is a signal's name (`firmware-version:
 *   2.14.3`, `input-source: hdmi-2`) is the value the device should report. Reported otherwise is
 *   `declared-mismatch`; not reported — the template does not read it, or no value ever came — is
 *   `declared-not-reported`.
 * - a role filled by a component that is not monitored: the system counts on something nobody
 *   watches.
 *
 * Ordered by ref, kind and field.
 */

const INVENTORY = [
  { field: "vendor", signal: "manufacturer", kind: "vendor-mismatch", loose: true },
  { field: "model", signal: "model", kind: "model-mismatch", loose: true },
  { field: "serial", signal: "serial-number", kind: "serial-mismatch", loose: false },
  { field: "mac", signal: "mac-address", kind: "mac-mismatch", loose: false },
] as const;

const normal = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");

function agree(declared: string, observed: string, loose: boolean): boolean {
  const a = normal(declared);
  const b = normal(observed);
  if (!loose) return a === b;
  return a === b || (a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a)));
}

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function sourceOf(sample: AssessmentSample): string {
  const { node, interface: via, protocol, principal } = sample.source;
  const parts = [node ?? principal, via, protocol].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join("/") : (sample.provenance ?? "unknown");
}

/** The current reported value of a signal (instance ""), when one was observed or pushed. */
function reported(component: AssessmentComponent, signal: string) {
  return component.samples.find(
    (s) =>
      s.signal === signal &&
      s.instance === "" &&
      s.value !== null &&
      s.observedAt !== null &&
      s.provenance !== "declared",
  );
}

export function findContradictions({
  components,
  assessed,
  systems,
}: {
  components: RawComponent[];
  assessed: AssessmentComponent[];
  systems: AssessmentSystem[];
}): Contradiction[] {
  const out: Contradiction[] = [];
  const byPath = new Map(assessed.map((c) => [c.path, c]));
  for (const raw of components) {
    const c = byPath.get(raw.path);
    if (!c) continue;
    for (const rule of INVENTORY) {
      const declared = raw[rule.field];
      if (declared === null || declared === "") continue;
      const sample = reported(c, rule.signal);
      if (!sample || agree(declared, text(sample.value), rule.loose)) continue;
      out.push({
        kind: rule.kind,
        ref: c.path,
        field: rule.field,
        declared: { value: declared, where: `component.${rule.field} (inventory)` },
        observed: {
          value: text(sample.value),
          source: `${rule.signal} via ${sourceOf(sample)}`,
          at: sample.observedAt,
        },
      });
    }
    for (const d of raw.declarations) {
      const want = text(d.value);
      const sample = reported(c, d.key);
      const where = `tag ${d.key} on the component`;
      if (sample) {
        if (agree(want, text(sample.value), false)) continue;
        out.push({
          kind: "declared-mismatch",
          ref: c.path,
          field: d.key,
          declared: { value: want, where },
          observed: {
            value: text(sample.value),
            source: `${d.key} via ${sourceOf(sample)}`,
            at: sample.observedAt,
          },
        });
        continue;
      }
      const readsIt = c.gaps.some((g) => g.kind === "never-seen" && g.signal === d.key);
      out.push({
        kind: "declared-not-reported",
        ref: c.path,
        field: d.key,
        declared: { value: want, where },
        observed: {
          value: null,
          source: readsIt
            ? `${c.template} reads ${d.key} but no value has arrived`
            : `${c.template} does not read ${d.key}: the device does not report it`,
          at: null,
        },
      });
    }
  }
  for (const s of systems) {
    for (const role of s.roles) {
      for (const path of role.filledBy) {
        const c = byPath.get(path);
        if (!c || c.monitored) continue;
        out.push({
          kind: "role-unmonitored",
          ref: `${s.path}#${role.name}`,
          field: `role ${role.name}`,
          declared: {
            value: path,
            where: `role ${role.name} of ${s.path} (quorum ${role.quorum}, impact ${role.impact})`,
          },
          observed: {
            value: null,
            source: "no node polls its interfaces and nothing pushes its samples",
            at: null,
          },
        });
      }
    }
  }
  const key = (x: Contradiction) => [x.ref, x.kind, x.field, x.declared.value];
  return out.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}
