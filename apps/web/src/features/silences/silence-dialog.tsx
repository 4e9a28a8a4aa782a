"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, inputClass, mutedClass } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { Checked } from "~/ui/section";
import { listOf, localInput, type Silence } from "./silence-format";

const SEVERITIES = ["critical", "warning", "info"] as const;
const QUICK = [
  ["1 hour", 3_600_000],
  ["4 hours", 4 * 3_600_000],
  ["1 day", 86_400_000],
  ["3 days", 3 * 86_400_000],
  ["7 days", 7 * 86_400_000],
] as const;

function problemsOf(error: unknown): Map<string, string> {
  const data = (error as { data?: { fieldErrors?: { field: string; message: string }[] } } | null)
    ?.data;
  return new Map((data?.fieldErrors ?? []).map((f) => [f.field, f.message]));
}

/**
 * Sets or edits a silence: matchers (owner subtree, rules, severities, templates), a reason and
 * the expiry it must have (at most the server's maximum away; the API names the field when not).
 */
export function SilenceDialog({ silence, onClose }: { silence?: Silence; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const m = silence?.matchers;
  const [owner, setOwner] = useState(m?.owner ?? "");
  const [rules, setRules] = useState(m?.rules?.join(", ") ?? "");
  const [templates, setTemplates] = useState(m?.templates?.join(", ") ?? "");
  const [severities, setSeverities] = useState<string[]>(m?.severities ?? []);
  const [reason, setReason] = useState(silence?.reason ?? "");
  const [expires, setExpires] = useState(() =>
    localInput(silence ? new Date(silence.expiresAt) : new Date(Date.now() + 4 * 3_600_000)),
  );
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.silence.pathKey() });
    onClose();
  };
  const create = useMutation(trpc.silence.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.silence.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  const problems = problemsOf(error);
  const problem = (field: string) =>
    problems.get(field) ?? problems.get(field.replace(/^matchers\./, "")) ?? null;
  const submit = () => {
    const matchers = {
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      ...(listOf(rules) ? { rules: listOf(rules) } : {}),
      ...(severities.length ? { severities: severities as Silence["matchers"]["severities"] } : {}),
      ...(listOf(templates) ? { templates: listOf(templates) } : {}),
    };
    const expiresAt = expires ? new Date(expires).toISOString() : null;
    if (silence)
      update.mutate({
        id: silence.id,
        version: silence.version,
        matchers,
        reason: reason.trim(),
        ...(expiresAt ? { expiresAt } : {}),
      });
    else create.mutate({ matchers, reason: reason.trim(), expiresAt });
  };
  return (
    <Dialog title={silence ? "Edit silence" : "New silence"} onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p className={`text-sm ${mutedClass}`}>
          Matching alarms are still listed, marked silenced with your reason; nobody is notified
          until it ends. All matchers given must match.
        </p>
        <Checked
          label="Owner (location, system or component, and below)"
          error={problem("matchers.owner")}
        >
          <input
            className={inputClass}
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
            placeholder="north.b1.room-2"
          />
        </Checked>
        <Checked label="Rules (names, comma-separated)" error={problem("matchers.rules")}>
          <input className={inputClass} value={rules} onChange={(e) => setRules(e.target.value)} />
        </Checked>
        <fieldset className="flex gap-3 text-sm">
          <legend className="mb-1 text-sm font-medium">Severities</legend>
          {SEVERITIES.map((s) => (
            <label key={s} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={severities.includes(s)}
                onChange={(e) =>
                  setSeverities((all) =>
                    e.target.checked ? [...all, s] : all.filter((x) => x !== s),
                  )
                }
              />
              {s}
            </label>
          ))}
        </fieldset>
        <Checked label="Templates (name or name@version)" error={problem("matchers.templates")}>
          <input
            className={inputClass}
            value={templates}
            onChange={(e) => setTemplates(e.target.value)}
          />
        </Checked>
        <Checked label="Reason" error={problem("reason")}>
          <textarea
            className={inputClass}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
          />
        </Checked>
        <Checked label="Ends at (your time)" error={problem("expiresAt")}>
          <input
            className={inputClass}
            type="datetime-local"
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
          />
        </Checked>
        <div className="flex flex-wrap gap-2 text-xs">
          {QUICK.map(([label, ms]) => (
            <Button key={label} onClick={() => setExpires(localInput(new Date(Date.now() + ms)))}>
              in {label}
            </Button>
          ))}
        </div>
        <ErrorText error={problems.size ? null : error} />
        {problems.get("matchers") || problems.get("(input)") ? (
          <span className="text-xs text-red-700 dark:text-red-300">
            {problems.get("matchers") ?? problems.get("(input)")}
          </span>
        ) : null}
        <div className="flex gap-3">
          <Button type="submit" variant="primary" disabled={create.isPending || update.isPending}>
            {silence ? "Save silence" : "Set silence"}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
