"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass, mutedClass } from "~/ui/controls";
import { formatDuration } from "~/ui/format";
import { Checked, panelClass } from "~/ui/section";
import { CelField } from "./cel-field";
import { RuleEnabledToggle } from "./rule-enabled";
import { problemsOf, ruleHref, type Rule } from "./rule-format";
import { RulePreview, type DraftBody } from "./rule-preview";
import { ScopeField, type ScopeKind } from "./scope-field";

interface Draft {
  name: string;
  label: string;
  description: string;
  severity: Rule["severity"];
  fire: string;
  clear: string;
  sustainSeconds: string;
  scopeKind: ScopeKind;
  scopeRef: string;
  enabled: boolean;
  flapWindowSeconds: string;
  flapThreshold: string;
}

const EMPTY: Draft = {
  name: "",
  label: "",
  description: "",
  severity: "warning",
  fire: "",
  clear: "",
  sustainSeconds: "0",
  scopeKind: "all",
  scopeRef: "",
  enabled: true,
  flapWindowSeconds: "600",
  flapThreshold: "4",
};

const draftOf = (r: Rule): Draft => ({
  name: r.name,
  label: r.label ?? "",
  description: r.description,
  severity: r.severity,
  fire: r.fire,
  clear: r.clear ?? "",
  sustainSeconds: String(r.sustainSeconds),
  scopeKind: r.scope.kind,
  scopeRef: r.scope.ref ?? "",
  enabled: r.enabled,
  flapWindowSeconds: String(r.flapWindowSeconds),
  flapThreshold: String(r.flapThreshold),
});

/** The rule body the API takes (create, update and the draft preview share it). */
function bodyOf(d: Draft): DraftBody {
  return {
    ...(d.label.trim() ? { label: d.label.trim() } : {}),
    description: d.description.trim(),
    severity: d.severity,
    fire: d.fire,
    clear: d.clear.trim() ? d.clear : null,
    sustainSeconds: Number(d.sustainSeconds),
    scope: { kind: d.scopeKind, ref: d.scopeKind === "all" ? null : d.scopeRef || null },
    enabled: d.enabled,
    flapWindowSeconds: Number(d.flapWindowSeconds),
    flapThreshold: Number(d.flapThreshold),
  };
}

/**
 * Create or edit an event rule: CEL fire and clear (a problem shown at its position), severity,
 * sustain, scope and flapping damping, and the preview over recent history. A template or built-in
 * rule is shown read-only (its template version or the product declares it) with the one switch an
 * operator may flip: enabled.
 */
export function RuleEditor({
  rule,
  readOnly: locked = false,
}: {
  rule?: Rule;
  readOnly?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(rule ? draftOf(rule) : EMPTY);
  const [problemSource, setProblemSource] = useState<unknown>(null);
  // Template and built-in rules are declared elsewhere (a template version, the product): only
  // their `enabled` is the operator's (RuleEnabledToggle), the form stays read-only.
  const declared = !!rule && rule.origin !== "custom";
  const readOnly = locked || declared;
  const saved = rule
    ? JSON.stringify(bodyOf(draftOf(rule))) === JSON.stringify(bodyOf(draft))
    : false;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const onSaved = (r: Rule) => {
    void queryClient.invalidateQueries({ queryKey: trpc.rule.pathKey() });
    if (!rule) router.push(ruleHref(r));
  };
  const create = useMutation(
    trpc.rule.create.mutationOptions({ onSuccess: onSaved, onError: setProblemSource }),
  );
  const update = useMutation(
    trpc.rule.update.mutationOptions({ onSuccess: onSaved, onError: setProblemSource }),
  );
  const save = () => {
    setProblemSource(null);
    const body = bodyOf(draft);
    if (!rule) create.mutate({ name: draft.name, ...body });
    else
      update.mutate({
        ref: rule.id,
        version: rule.version,
        ...body,
        label: draft.label.trim() || null,
      });
  };
  const problems = problemsOf(problemSource);
  const problem = (field: string) => problems.get(field)?.message ?? null;
  const celProblem = (field: string) => problems.get(field) ?? null;
  const error = create.error ?? update.error;
  const sustain = Number(draft.sustainSeconds);
  return (
    <div className="flex flex-col gap-6">
      {declared ? (
        <p
          className="rounded-md border border-zinc-300 p-3 text-sm dark:border-zinc-700"
          role="note"
        >
          {rule.origin === "template"
            ? `A template rule: ${rule.template ? `${rule.template.name}@${rule.template.version}` : "its template"} declares it, so only switching it off or on is yours here. Write a rule of your own to change what fires.`
            : "A built-in rule: the product's own; only switching it off or on is yours here."}
        </p>
      ) : null}
      {declared && !locked ? <RuleEnabledToggle rule={rule} /> : null}
      <form
        aria-label={rule ? `Rule ${rule.name}` : "New rule"}
        noValidate
        className="flex flex-col gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          if (!readOnly) save();
        }}
      >
        <fieldset disabled={readOnly} className="flex flex-col gap-4">
          <div className="flex flex-wrap gap-3">
            {rule ? null : (
              <Checked label="Name" error={problem("name")}>
                <input
                  className={inputClass}
                  value={draft.name}
                  onChange={(e) => set("name", e.target.value)}
                  placeholder="hot-display"
                />
              </Checked>
            )}
            <Field label="Label">
              <input
                className={inputClass}
                value={draft.label}
                onChange={(e) => set("label", e.target.value)}
              />
            </Field>
            <Field label="Severity">
              <select
                className={inputClass}
                value={draft.severity}
                onChange={(e) => set("severity", e.target.value as Draft["severity"])}
              >
                <option value="critical">critical (outage)</option>
                <option value="warning">warning (degraded)</option>
                <option value="info">info</option>
              </select>
            </Field>
          </div>
          <Field label="Description">
            <input
              className={inputClass}
              value={draft.description}
              onChange={(e) => set("description", e.target.value)}
            />
          </Field>
          <CelField
            label="Fires when (CEL)"
            name="fire"
            value={draft.fire}
            onChange={(v) => set("fire", v)}
            problem={celProblem("fire")}
            hint='Over signals, fresh, age and previous by signal name, e.g. signals["temperature"] > 70'
          />
          <CelField
            label="Clears when (CEL, optional)"
            name="clear"
            value={draft.clear}
            onChange={(v) => set("clear", v)}
            problem={celProblem("clear")}
            hint="Empty: it clears when the fire expression is false."
          />
          <div className="flex flex-wrap gap-3">
            <Checked label="Sustain (seconds)" error={problem("sustainSeconds")}>
              <input
                className={inputClass}
                type="number"
                min={0}
                max={86400}
                value={draft.sustainSeconds}
                onChange={(e) => set("sustainSeconds", e.target.value)}
              />
            </Checked>
            <p className={`self-center text-sm ${mutedClass}`}>
              {Number.isFinite(sustain) && sustain > 0
                ? `Fires once the condition held for ${formatDuration(sustain)}.`
                : "Fires on the first sample that matches."}
            </p>
          </div>
          <ScopeField
            kind={draft.scopeKind}
            value={draft.scopeRef}
            onChange={(kind, ref) => setDraft((d) => ({ ...d, scopeKind: kind, scopeRef: ref }))}
            problem={problem("scope.ref") ?? problem("scope")}
            disabled={readOnly}
          />
          <div className={panelClass} role="group" aria-label="Flapping damping">
            <Checked label="Flapping after (transitions)" error={problem("flapThreshold")}>
              <input
                className={inputClass}
                type="number"
                min={2}
                max={100}
                value={draft.flapThreshold}
                onChange={(e) => set("flapThreshold", e.target.value)}
              />
            </Checked>
            <Checked label="within (seconds)" error={problem("flapWindowSeconds")}>
              <input
                className={inputClass}
                type="number"
                min={1}
                max={86400}
                value={draft.flapWindowSeconds}
                onChange={(e) => set("flapWindowSeconds", e.target.value)}
              />
            </Checked>
            <label className="flex items-center gap-2 self-center text-sm">
              <input
                type="checkbox"
                checked={draft.enabled}
                onChange={(e) => set("enabled", e.target.checked)}
              />
              Enabled
            </label>
          </div>
        </fieldset>
        {readOnly ? null : (
          <div className="flex gap-3">
            <Button type="submit" variant="primary" disabled={create.isPending || update.isPending}>
              {rule ? "Save rule" : "Create rule"}
            </Button>
          </div>
        )}
        <ErrorText error={error} />
      </form>
      <RulePreview
        saved={rule && saved ? rule.id : null}
        draft={() => bodyOf(draft)}
        onProblems={setProblemSource}
      />
    </div>
  );
}
