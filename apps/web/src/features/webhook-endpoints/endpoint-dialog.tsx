"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, inputClass, mutedClass } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { LocationSelect } from "~/ui/location-select";
import { Checked } from "~/ui/section";
import { problemsOf, type Endpoint } from "./endpoint-format";

/**
 * Create a webhook endpoint (name, URL, label, placement) or edit one's URL and label. A new
 * endpoint's signing secret comes back once, handed to `onCreated` to show.
 */
export function EndpointDialog({
  endpoint,
  onClose,
  onCreated,
}: {
  endpoint?: Endpoint;
  onClose: () => void;
  onCreated?: (created: Endpoint & { secret: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [label, setLabel] = useState(endpoint?.label ?? "");
  const [location, setLocation] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoint.pathKey() });
  const create = useMutation(
    trpc.webhookEndpoint.create.mutationOptions({
      onSuccess: (created) => {
        void refresh();
        onCreated?.(created);
        onClose();
      },
    }),
  );
  const update = useMutation(
    trpc.webhookEndpoint.update.mutationOptions({
      onSuccess: () => {
        void refresh();
        onClose();
      },
    }),
  );
  const error = create.error ?? update.error;
  const problems = problemsOf(error);
  const problem = (field: string) => problems.get(field) ?? null;
  const submit = () => {
    if (endpoint)
      update.mutate({
        ref: endpoint.id,
        version: endpoint.version,
        url: url.trim(),
        label: label.trim() || null,
      });
    else
      create.mutate({
        name: name.trim(),
        url: url.trim(),
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(location ? { location } : {}),
        enabled: true,
      });
  };
  return (
    <Dialog
      title={endpoint ? `Edit endpoint ${endpoint.name}` : "New webhook endpoint"}
      onClose={onClose}
    >
      <form
        aria-label={endpoint ? "Edit endpoint" : "New endpoint"}
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p className={`text-sm ${mutedClass}`}>
          Omniglass POSTs each alarm transition an action rule sends here, signed as Standard
          Webhooks says (webhook-id, webhook-timestamp, webhook-signature). The signing secret is
          shown once, when the endpoint is created.
        </p>
        {endpoint ? null : (
          <Checked label="Name" error={problem("name")}>
            <input
              className={inputClass}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="pager"
            />
          </Checked>
        )}
        <Checked label="URL" error={problem("url")}>
          <input
            className={inputClass}
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://hooks.example.com/omniglass"
          />
        </Checked>
        <Checked label="Label" error={problem("label")}>
          <input className={inputClass} value={label} onChange={(e) => setLabel(e.target.value)} />
        </Checked>
        {endpoint ? null : (
          <Checked label="Placed in (its scope)" error={problem("location")}>
            <LocationSelect
              label="Placed in (its scope)"
              value={location}
              onChange={setLocation}
              allowEmpty
              emptyLabel="the platform (scope all)"
            />
          </Checked>
        )}
        <ErrorText error={problems.size ? null : error} />
        <div className="flex gap-3">
          <Button type="submit" variant="primary" disabled={create.isPending || update.isPending}>
            {endpoint ? "Save endpoint" : "Create endpoint"}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

/** A freshly issued signing secret, shown once with a copy button until dismissed. */
export function IssuedSecret({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      role="status"
      data-testid="issued-secret"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
    >
      Copy this signing secret into your receiver now: it is shown once and cannot be read again
      (rotate it for a new one).
      <code className="mt-1 block break-all font-mono" data-testid="secret">
        {secret}
      </code>
      <div className="mt-2 flex gap-2">
        <Button
          onClick={() =>
            void navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button onClick={onDismiss}>I have stored it</Button>
      </div>
    </div>
  );
}
