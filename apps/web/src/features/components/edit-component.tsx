"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ComponentDetail } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass } from "~/ui/controls";
import { panelClass } from "~/ui/section";

/** The component's identity fields; an empty field clears it. */
export function EditComponent({
  component: c,
  onDone,
}: {
  component: ComponentDetail;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [values, setValues] = useState({
    label: c.label ?? "",
    vendor: c.vendor ?? "",
    model: c.model ?? "",
    serial: c.serial ?? "",
    mac: c.mac ?? "",
    address: c.address ?? "",
  });
  const update = useMutation(trpc.component.update.mutationOptions({ onSuccess: onDone }));
  const orNull = (v: string) => (v.trim() === "" ? null : v.trim());
  return (
    <form
      aria-label="Edit component"
      className={panelClass}
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({
          ref: c.id,
          version: c.version,
          label: orNull(values.label),
          vendor: orNull(values.vendor),
          model: orNull(values.model),
          serial: orNull(values.serial),
          mac: orNull(values.mac),
          address: orNull(values.address),
        });
      }}
    >
      {(Object.keys(values) as (keyof typeof values)[]).map((key) => (
        <Field key={key} label={key === "mac" ? "MAC" : key[0]!.toUpperCase() + key.slice(1)}>
          <input
            className={inputClass}
            value={values[key]}
            onChange={(e) => setValues({ ...values, [key]: e.target.value })}
          />
        </Field>
      ))}
      <Button type="submit" variant="primary" disabled={update.isPending}>
        Save
      </Button>
      <Button onClick={onDone}>Cancel</Button>
      <ErrorText error={update.error} />
    </form>
  );
}
