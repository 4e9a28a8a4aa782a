"use client";

import { useRouter } from "next/navigation";
import type { FormEvent, ReactNode } from "react";
import { Button, ErrorText, Field, inputClass, PageHeader } from "./controls";
import { LocationSelect, PathPreview } from "./location-select";
import { Checked } from "./section";

/** A create page: its heading, the form, Create and Cancel, and the API's error. */
export function CreatePage({
  what,
  width = "max-w-3xl",
  onSubmit,
  pending,
  error,
  children,
}: {
  what: string;
  width?: string;
  onSubmit: () => void;
  pending: boolean;
  error: { message: string } | null | undefined;
  children: ReactNode;
}) {
  const router = useRouter();
  const title = `New ${what}`;
  return (
    <div className={`mx-auto flex ${width} flex-col gap-4`}>
      <PageHeader title={title} />
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
        aria-label={title}
        className="flex flex-col gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      >
        {children}
        <div className="flex gap-3">
          <Button type="submit" variant="primary" disabled={pending}>
            {`Create ${what}`}
          </Button>
          <Button onClick={() => router.back()}>Cancel</Button>
        </div>
        <ErrorText error={error} />
      </form>
    </div>
  );
}

/**
 * Where a new placed object goes and what it is called: the path preview, name (checked while
 * typing, or once submitted), label and location. `show` hides a problem until the first submit.
 */
export function PlacementFields({
  name,
  label,
  location,
  onChange,
  problems,
  show,
  placeholders,
}: {
  name: string;
  label: string;
  location: string;
  onChange: (field: "name" | "label" | "location", value: string) => void;
  problems: { name: string | null; location: string | null };
  show: (problem: string | null) => string | null;
  placeholders: { name: string; label: string };
}) {
  return (
    <>
      <PathPreview parent={location} name={name} />
      <Checked label="Name" error={name ? problems.name : show(problems.name)}>
        <input
          className={inputClass}
          value={name}
          onChange={(e) => onChange("name", e.target.value)}
          aria-invalid={name && problems.name ? true : undefined}
          placeholder={placeholders.name}
        />
      </Checked>
      <Field label="Label">
        <input
          className={inputClass}
          value={label}
          onChange={(e) => onChange("label", e.target.value)}
          placeholder={placeholders.label}
        />
      </Field>
      <Checked label="Location" error={show(problems.location)}>
        <LocationSelect value={location} onChange={(v) => onChange("location", v)} />
      </Checked>
    </>
  );
}
