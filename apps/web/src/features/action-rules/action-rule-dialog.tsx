"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass, mutedClass } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { LocationSelect } from "~/ui/location-select";
import { Checked } from "~/ui/section";
import {
  KINDS,
  problemsOf,
  SEVERITIES,
  type ActionRule,
  type Matchers,
} from "./action-rule-format";

type ScopeKind = ActionRule["scope"]["kind"];
type Suppressed = "false" | "true" | "any";

const toggled = <T,>(list: T[], value: T, on: boolean) =>
  on ? [...list, value] : list.filter((x) => x !== value);

function Checkboxes<T extends string>({
  legend,
  values,
  chosen,
  onChange,
  hint,
}: {
  legend: string;
  values: readonly T[];
  chosen: T[];
  onChange: (next: T[]) => void;
  hint: string;
}) {
  return (
    <fieldset className="flex flex-col gap-1 text-sm">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-3">
        {values.map((v) => (
          <label key={v} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={chosen.includes(v)}
              onChange={(e) => onChange(toggled(chosen, v, e.target.checked))}
            />
            {v}
          </label>
        ))}
      </div>
      <span className={`text-xs ${mutedClass}`}>{hint}</span>
    </fieldset>
  );
}

/**
 * Create or edit an action rule: matchers (severities, transition kinds, event rules,
 * suppressed, acknowledged), where it applies, and the endpoints it sends to. All matchers given
 * must hold; none chosen means any.
 */
export function ActionRuleDialog({ rule, onClose }: { rule?: ActionRule; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.webhookEndpoint.list.queryOptions({ page_size: 500 }));
  const rules = useQuery(trpc.rule.list.queryOptions({ page_size: 500 }));
  const m = rule?.matchers;
  const [name, setName] = useState("");
  const [label, setLabel] = useState(rule?.label ?? "");
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [severities, setSeverities] = useState<Matchers["severities"] & object>(
    m?.severities ?? [],
  );
  const [kinds, setKinds] = useState<Matchers["kinds"] & object>(m?.kinds ?? []);
  const [ruleIds, setRuleIds] = useState<string[]>(m?.ruleIds ?? []);
  const [suppressed, setSuppressed] = useState<Suppressed>(
    m?.suppressed === true ? "true" : m?.suppressed === "any" ? "any" : "false",
  );
  const [acknowledged, setAcknowledged] = useState(
    m?.acknowledged === undefined ? "" : String(m.acknowledged),
  );
  const [scopeKind, setScopeKind] = useState<ScopeKind>(rule?.scope.kind ?? "all");
  const [scopeRef, setScopeRef] = useState(rule?.scope.ref ?? "");
  const [endpointIds, setEndpointIds] = useState<string[]>(rule?.endpointIds ?? []);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.actionRule.pathKey() });
    onClose();
  };
  const create = useMutation(trpc.actionRule.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.actionRule.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  const problems = problemsOf(error);
  const problem = (field: string) => problems.get(field) ?? null;
  const submit = () => {
    const matchers: Matchers = {
      ...(severities.length ? { severities } : {}),
      ...(kinds.length ? { kinds } : {}),
      ...(ruleIds.length ? { ruleIds } : {}),
      ...(suppressed === "false" ? {} : { suppressed: suppressed === "any" ? "any" : true }),
      ...(acknowledged ? { acknowledged: acknowledged === "true" } : {}),
    };
    const scope =
      scopeKind === "all" ? { kind: "all" as const } : { kind: scopeKind, ref: scopeRef.trim() };
    if (rule)
      update.mutate({
        ref: rule.id,
        version: rule.version,
        label: label.trim() || null,
        enabled,
        matchers,
        scope,
        endpointIds,
      });
    else
      create.mutate({
        name: name.trim(),
        ...(label.trim() ? { label: label.trim() } : {}),
        enabled,
        matchers,
        scope,
        endpointIds,
      });
  };
  return (
    <Dialog title={rule ? `Edit action rule ${rule.name}` : "New action rule"} onClose={onClose}>
      <form
        aria-label={rule ? "Edit action rule" : "New action rule"}
        className="flex max-h-[75vh] flex-col gap-3 overflow-y-auto pr-1"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p className={`text-sm ${mutedClass}`}>
          Every alarm transition that matches is sent to the chosen endpoints, once per endpoint
          however many rules match.
        </p>
        <div className="flex flex-wrap gap-3">
          {rule ? null : (
            <Checked label="Name" error={problem("name")}>
              <input
                className={inputClass}
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="critical-pages"
              />
            </Checked>
          )}
          <Checked label="Label" error={problem("label")}>
            <input
              className={inputClass}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
            />
          </Checked>
        </div>
        <Checkboxes
          legend="Severities"
          values={SEVERITIES}
          chosen={severities}
          onChange={setSeverities}
          hint="None chosen: any severity."
        />
        <Checkboxes
          legend="Transitions"
          values={KINDS}
          chosen={kinds}
          onChange={setKinds}
          hint="None chosen: every transition (opened, resolved, acknowledged …)."
        />
        <Checked label="Event rules (none chosen: any)" error={problem("matchers.ruleIds")}>
          <select
            multiple
            className={`${inputClass} h-28`}
            value={ruleIds}
            onChange={(e) => setRuleIds([...e.target.selectedOptions].map((o) => o.value))}
          >
            {rules.data?.items.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
                {r.template ? ` (${r.template.name}@${r.template.version})` : ""}
              </option>
            ))}
          </select>
        </Checked>
        <div className="flex flex-wrap gap-3">
          <Field label="Suppressed alarms">
            <select
              className={inputClass}
              value={suppressed}
              onChange={(e) => setSuppressed(e.target.value as Suppressed)}
            >
              <option value="false">not sent (only unsuppressed)</option>
              <option value="true">only suppressed ones</option>
              <option value="any">sent either way</option>
            </select>
          </Field>
          <Field label="Acknowledged">
            <select
              className={inputClass}
              value={acknowledged}
              onChange={(e) => setAcknowledged(e.target.value)}
            >
              <option value="">either</option>
              <option value="false">only unacknowledged</option>
              <option value="true">only acknowledged</option>
            </select>
          </Field>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Applies to">
            <select
              className={inputClass}
              value={scopeKind}
              onChange={(e) => {
                setScopeKind(e.target.value as ScopeKind);
                setScopeRef("");
              }}
            >
              <option value="all">everywhere</option>
              <option value="location">a location and below</option>
              <option value="system">a system's members</option>
              <option value="template">a template's components</option>
            </select>
          </Field>
          {scopeKind === "location" ? (
            <Checked label="Location" error={problem("scope.ref")}>
              <LocationSelect value={scopeRef} onChange={setScopeRef} />
            </Checked>
          ) : scopeKind === "system" || scopeKind === "template" ? (
            <Checked
              label={scopeKind === "system" ? "System path" : "Template name"}
              error={problem("scope.ref")}
            >
              <input
                className={inputClass}
                value={scopeRef}
                onChange={(e) => setScopeRef(e.target.value)}
                placeholder={scopeKind === "system" ? "north.b1.room-2.av" : "http-json-display"}
              />
            </Checked>
          ) : null}
        </div>
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1 text-sm font-medium">Send to</legend>
          {endpoints.data?.items.length === 0 ? (
            <span className={`text-xs ${mutedClass}`}>
              No webhook endpoints yet: create one first on the webhook endpoints page.
            </span>
          ) : null}
          <div className="flex flex-wrap gap-3">
            {endpoints.data?.items.map((e) => (
              <label key={e.id} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={endpointIds.includes(e.id)}
                  onChange={(x) => setEndpointIds((all) => toggled(all, e.id, x.target.checked))}
                />
                {e.name}
                {e.enabled ? null : <span className={mutedClass}> (disabled)</span>}
              </label>
            ))}
          </div>
          {problem("endpointIds") ? (
            <span className="text-xs text-red-700 dark:text-red-300">{problem("endpointIds")}</span>
          ) : null}
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
        <ErrorText error={problems.size ? null : error} />
        <div className="flex gap-3">
          <Button type="submit" variant="primary" disabled={create.isPending || update.isPending}>
            {rule ? "Save action rule" : "Create action rule"}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
