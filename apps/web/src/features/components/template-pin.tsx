"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ComponentDetail } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass, mutedClass } from "~/ui/controls";
import { templateHref, TextLink } from "~/ui/links";
import { Section } from "~/ui/section";
import { changeLines } from "~/ui/template-signals";

/** The template pin, and changing version: preview what changes, then apply. */
export function TemplatePin({
  component: c,
  onChanged,
}: {
  component: ComponentDetail;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const versions = useQuery(
    trpc.template.listVersions.queryOptions({ ref: c.template.name, page_size: 500 }),
  );
  const [target, setTarget] = useState("");
  const preview = useQuery({
    ...trpc.component.previewTemplateChange.queryOptions({ ref: c.id, template: target }),
    enabled: target !== "",
  });
  const change = useMutation(
    trpc.component.changeTemplate.mutationOptions({
      onSuccess: () => {
        setTarget("");
        onChanged();
      },
    }),
  );
  const p = preview.data;
  const lines = p ? changeLines(p) : [];
  return (
    <Section title="Template">
      <p className="text-sm">
        Pinned to{" "}
        <TextLink href={templateHref(c.template.name)}>
          {c.template.name}@{c.template.version}
        </TextLink>
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Change version">
          <select className={inputClass} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">— choose a version —</option>
            {versions.data?.items
              .filter((v) => v.version !== c.template.version)
              .map((v) => (
                <option key={v.id} value={`${v.name}@${v.version}`}>
                  {`v${v.version}${v.label ? ` — ${v.label}` : ""}`}
                </option>
              ))}
          </select>
        </Field>
        {versions.data && versions.data.items.length <= 1 ? (
          <span className={`text-sm ${mutedClass}`}>This template has one version.</span>
        ) : null}
      </div>
      <ErrorText error={versions.error ?? preview.error} />
      {p ? (
        <div
          data-testid="template-change-preview"
          className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <p>
            Moving from {p.from} to {p.to} changes:
          </p>
          <ul className="list-disc pl-5">
            {lines
              .filter(([, names]) => names.length > 0)
              .map(([title, names]) => (
                <li key={title}>
                  {title}: <span className="font-mono">{names.join(", ")}</span>
                </li>
              ))}
            {p.dependenciesChanged ? <li>Dependencies change</li> : null}
            {lines.every(([, names]) => names.length === 0) && !p.dependenciesChanged ? (
              <li>Nothing the component reports or runs.</li>
            ) : null}
          </ul>
          <div className="flex gap-2">
            <Button
              variant="primary"
              disabled={change.isPending}
              onClick={() => change.mutate({ ref: c.id, template: target, version: c.version })}
            >
              Apply {p.to}
            </Button>
            <Button onClick={() => setTarget("")}>Cancel</Button>
          </div>
          <ErrorText error={change.error} />
        </div>
      ) : null}
    </Section>
  );
}
