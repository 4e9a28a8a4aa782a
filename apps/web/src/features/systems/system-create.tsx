"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { inputClass } from "~/ui/controls";
import { CreatePage, PlacementFields } from "~/ui/create-form";
import { systemHref } from "~/ui/links";
import { nameProblem } from "~/ui/names";
import { Checked } from "~/ui/section";

/** A new system placed in a location, of a system type, with its path previewed. */
export function SystemCreate({ initialLocation = "" }: { initialLocation?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const types = useQuery(trpc.system.listTypes.queryOptions({ page_size: 500 }));
  const [name, setName] = useState("");
  const [label, setLabel] = useState("");
  const [location, setLocation] = useState(initialLocation);
  const [type, setType] = useState("");
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.system.create.mutationOptions({ onSuccess: (s) => router.push(systemHref(s.path)) }),
  );
  const problems = {
    name: nameProblem(name),
    location: location ? null : "required",
    type: type ? null : "required",
  };
  const valid = Object.values(problems).every((p) => p === null);
  const show = (p: string | null) => (touched ? p : null);
  const submit = () => {
    setTouched(true);
    if (valid) create.mutate({ name, location, type, ...(label ? { label } : {}) });
  };
  return (
    <CreatePage
      what="system"
      onSubmit={submit}
      pending={create.isPending}
      error={create.error ?? types.error}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <PlacementFields
          name={name}
          label={label}
          location={location}
          onChange={(field, value) =>
            ({ name: setName, label: setLabel, location: setLocation })[field](value)
          }
          problems={problems}
          show={show}
          placeholders={{ name: "av", label: "Boardroom AV" }}
        />
        <Checked label="Type" error={show(problems.type)}>
          <select
            aria-label="Type"
            className={inputClass}
            value={type}
            onChange={(e) => setType(e.target.value)}
          >
            <option value="">— choose —</option>
            {types.data?.items.map((t) => (
              <option key={t.id} value={t.name}>
                {`${t.label} (${t.name})`}
              </option>
            ))}
          </select>
        </Checked>
      </div>
    </CreatePage>
  );
}
