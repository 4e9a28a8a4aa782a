"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass, mutedClass } from "~/ui/controls";
import { Checked, Section } from "~/ui/section";
import { WindowCalendar } from "./window-calendar";
import { windowHref, type MaintenanceWindow } from "./window-format";

type ScopeKind = MaintenanceWindow["scope"]["kind"];

interface Draft {
  name: string;
  label: string;
  description: string;
  scopeKind: ScopeKind;
  scopeRef: string;
  dtstart: string;
  timeZone: string;
  duration: string;
  rrule: string;
  enabled: boolean;
}

const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const emptyDraft = (): Draft => ({
  name: "",
  label: "",
  description: "",
  scopeKind: "location",
  scopeRef: "",
  dtstart: "",
  timeZone: viewerZone(),
  duration: "2h",
  rrule: "FREQ=WEEKLY;BYDAY=SA",
  enabled: true,
});

const draftOf = (w: MaintenanceWindow): Draft => ({
  name: w.name,
  label: w.label ?? "",
  description: w.description,
  scopeKind: w.scope.kind,
  scopeRef: w.scope.ref,
  dtstart: w.dtstart,
  timeZone: w.timeZone,
  duration: w.duration,
  rrule: w.rrule ?? "",
  enabled: w.enabled,
});

const SCOPES: [ScopeKind, string, string][] = [
  ["location", "Location (and below)", "north.b1"],
  ["system", "System (its members)", "north.b1.room-2.av"],
  ["template", "Template (every version)", "http-json-display"],
  ["owner", "One component", "north.b1.room-2.display"],
];

function bodyOf(d: Draft) {
  return {
    ...(d.label.trim() ? { label: d.label.trim() } : {}),
    description: d.description.trim(),
    scope: { kind: d.scopeKind, ref: d.scopeRef.trim() },
    dtstart: d.dtstart,
    timeZone: d.timeZone.trim(),
    duration: d.duration.trim(),
    rrule: d.rrule.trim() || null,
    enabled: d.enabled,
  };
}

/** The API's field problems by field (`window.rrule` of a draft preview reads as `rrule`). */
function problemsOf(error: unknown): Map<string, string> {
  const data = (error as { data?: { fieldErrors?: { field: string; message: string }[] } } | null)
    ?.data;
  return new Map(
    (data?.fieldErrors ?? []).map((f) => [f.field.replace(/^window\./, ""), f.message]),
  );
}

let zones: string[] | null = null;
const timeZones = () => (zones ??= Intl.supportedValuesOf("timeZone"));

/**
 * Create or edit a maintenance window: scope, local start in an IANA zone, duration and RRULE,
 * with the calendar preview of the draft as you type (the API's DST resolution, marked) and
 * last week's alarms it would have suppressed. Read-only without `maintenance:write`.
 */
export function WindowEditor({
  window: saved,
  readOnly = false,
}: {
  window?: MaintenanceWindow;
  readOnly?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => (saved ? draftOf(saved) : emptyDraft()));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const onSaved = (w: MaintenanceWindow) => {
    void queryClient.invalidateQueries({ queryKey: trpc.maintenanceWindow.pathKey() });
    if (!saved || w.name !== saved.name) router.push(windowHref(w));
  };
  const create = useMutation(trpc.maintenanceWindow.create.mutationOptions({ onSuccess: onSaved }));
  const update = useMutation(trpc.maintenanceWindow.update.mutationOptions({ onSuccess: onSaved }));
  const preview = useMutation(trpc.maintenanceWindow.previewDraft.mutationOptions());
  const body = bodyOf(draft);
  const key = JSON.stringify(body);
  useEffect(() => {
    if (!draft.dtstart || !draft.scopeRef.trim() || !draft.duration.trim()) return;
    const timer = setTimeout(() => preview.mutate({ window: JSON.parse(key), count: 12 }), 400);
    return () => clearTimeout(timer);
    // The body's text is the dependency: the preview reruns when what would be saved changes.
  }, [key]);
  const save = () => {
    if (!saved) create.mutate({ name: draft.name, ...body });
    else
      update.mutate({ ref: saved.id, version: saved.version, ...body, label: body.label ?? null });
  };
  const error = create.error ?? update.error;
  const problems = problemsOf(error ?? preview.error);
  const problem = (field: string) => problems.get(field) ?? null;
  const scope = SCOPES.find(([k]) => k === draft.scopeKind)!;
  return (
    <div className="flex flex-col gap-6">
      <form
        aria-label={saved ? `Maintenance window ${saved.name}` : "New maintenance window"}
        noValidate
        className="flex flex-col gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          if (!readOnly) save();
        }}
      >
        <fieldset disabled={readOnly} className="flex flex-col gap-4">
          <div className="flex flex-wrap gap-3">
            {saved ? null : (
              <Checked label="Name" error={problem("name")}>
                <input
                  className={inputClass}
                  value={draft.name}
                  onChange={(e) => set("name", e.target.value)}
                  placeholder="north-saturdays"
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
            <Field label="Description">
              <input
                className={inputClass}
                value={draft.description}
                onChange={(e) => set("description", e.target.value)}
              />
            </Field>
          </div>
          <div className="flex flex-wrap gap-3">
            <Field label="Scope">
              <select
                className={inputClass}
                value={draft.scopeKind}
                onChange={(e) => set("scopeKind", e.target.value as ScopeKind)}
              >
                {SCOPES.map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            <Checked label="Scope reference" error={problem("scope.ref")}>
              <input
                className={inputClass}
                value={draft.scopeRef}
                onChange={(e) => set("scopeRef", e.target.value)}
                placeholder={scope[2]}
              />
            </Checked>
          </div>
          <div className="flex flex-wrap gap-3">
            <Checked label="Starts (local time)" error={problem("dtstart")}>
              <input
                className={inputClass}
                type="datetime-local"
                value={draft.dtstart}
                onChange={(e) => set("dtstart", e.target.value.slice(0, 16))}
              />
            </Checked>
            <Checked label="Time zone" error={problem("timeZone")}>
              <input
                className={inputClass}
                list="time-zones"
                value={draft.timeZone}
                onChange={(e) => set("timeZone", e.target.value)}
              />
            </Checked>
            <datalist id="time-zones">
              {timeZones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <Checked label="Duration" error={problem("duration")}>
              <input
                className={inputClass}
                value={draft.duration}
                onChange={(e) => set("duration", e.target.value)}
                placeholder="90m, 2h"
              />
            </Checked>
          </div>
          <Checked label="Repeats (RRULE; empty: once)" error={problem("rrule")}>
            <input
              className={`${inputClass} font-mono`}
              value={draft.rrule}
              onChange={(e) => set("rrule", e.target.value)}
              placeholder="FREQ=WEEKLY;BYDAY=SA"
            />
          </Checked>
          <p className={`text-sm ${mutedClass}`}>
            On a DST change night a start the clocks skip begins at the change; a repeated hour runs
            once. Durations are elapsed time.
          </p>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => set("enabled", e.target.checked)}
            />
            Enabled
          </label>
        </fieldset>
        {readOnly ? null : (
          <div className="flex gap-3">
            <Button type="submit" variant="primary" disabled={create.isPending || update.isPending}>
              {saved ? "Save window" : "Create window"}
            </Button>
          </div>
        )}
        <ErrorText error={error} />
      </form>
      <Section title="Calendar preview">
        {preview.data ? (
          <WindowCalendar preview={preview.data} />
        ) : preview.error ? (
          <ErrorText error={preview.error} />
        ) : (
          <p className={`text-sm ${mutedClass}`}>
            Fill in the scope, start and duration to see the next occurrences.
          </p>
        )}
      </Section>
    </div>
  );
}
