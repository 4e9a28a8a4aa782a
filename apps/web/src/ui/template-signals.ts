import type { TemplateChanges, TemplateDocument } from "@omniglass/contracts";

/** The signals a template version reports: every function output, with its function and interval. */
export function templateSignals(document: TemplateDocument) {
  return document.functions.flatMap((fn) =>
    fn.outputs.map((o) => ({
      signal: o.signal,
      instance: o.instance ?? null,
      function: fn.name,
      interface: fn.interface,
      interval: fn.interval,
    })),
  );
}

/** A template change (two versions, or a component's pin) as titled lines of names. */
export function changeLines(c: TemplateChanges): [string, string[]][] {
  return [
    ["Signals gained", c.signalsGained],
    ["Signals lost", c.signalsLost],
    ["Interfaces added", c.interfacesAdded],
    ["Interfaces removed", c.interfacesRemoved],
    ["Interfaces changed", c.interfacesChanged],
    ["Functions added", c.functionsAdded],
    ["Functions removed", c.functionsRemoved],
    ["Functions changed", c.functionsChanged],
    ["Rules added", c.rulesAdded],
    ["Rules removed", c.rulesRemoved],
    ["Rules changed", c.rulesChanged],
  ];
}
