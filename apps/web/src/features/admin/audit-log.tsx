"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { principalHref, TextLink } from "~/ui/links";
import { Time } from "~/ui/time";
import { useTRPC } from "~/client/trpc";
import {
  Button,
  cellClass,
  ErrorText,
  Field,
  inputClass,
  mutedClass,
  PageHeader,
  Table,
} from "~/ui/controls";

/** Keys whose value differs between two images, for the before/after view. */
function changedKeys(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
}

/** Who acted: the principal's name (linked), "the platform" for its own work. */
function Who({
  entry,
  names,
}: {
  entry: { actorId: string | null; actorName?: string | null };
  names: Map<string, string>;
}) {
  if (!entry.actorId) return <span className={mutedClass}>the platform</span>;
  const name = entry.actorName ?? names.get(entry.actorId);
  return (
    <TextLink href={principalHref(entry.actorId)}>
      {name ?? <span className="font-mono text-xs">{entry.actorId.slice(0, 8)}</span>}
    </TextLink>
  );
}

export function AuditLog() {
  const trpc = useTRPC();
  const [resource, setResource] = useState("");
  const [verb, setVerb] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  // The tokens of the pages walked so far: the last is the page shown; "Newer" pops it.
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const filters = {
    page_size: 50,
    ...(resource ? { resource } : {}),
    ...(verb ? { verb } : {}),
    ...(pages.at(-1) ? { page_token: pages.at(-1) } : {}),
  };
  const log = useQuery(trpc.audit.list.queryOptions(filters));
  // Names for entries written before the log carried them: one principal read for the page.
  const needsNames = (log.data?.items ?? []).some((e) => e.actorId && !e.actorName);
  const principals = useQuery({
    ...trpc.principal.list.queryOptions({ page_size: 500 }),
    enabled: needsNames,
  });
  const names = new Map(principals.data?.items.map((p) => [p.id, p.name]) ?? []);
  const rows = log.data?.items ?? [];
  const filter = (set: (v: string) => void) => (value: string) => {
    set(value);
    setPages([undefined]);
  };
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title="Audit log" />
      <div className="flex flex-wrap gap-3">
        <Field label="Resource">
          <select
            className={inputClass}
            value={resource}
            onChange={(e) => filter(setResource)(e.target.value)}
          >
            <option value="">any</option>
            {["location", "location-type", "principal", "grant", "token", "session"].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field label="Verb">
          <select
            className={inputClass}
            value={verb}
            onChange={(e) => filter(setVerb)(e.target.value)}
          >
            <option value="">any</option>
            {["create", "update", "delete", "disable", "enable", "revoke"].map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorText error={log.error} />
      <Table head={["When", "Who", "What", "Source", { label: "Changes", hidden: true }]}>
        {rows.map((entry) => (
          <tr key={entry.id} data-testid="audit-row">
            <td className={cellClass}>
              <Time value={entry.at} />
            </td>
            <td className={cellClass} data-testid="audit-who">
              <Who entry={entry} names={names} />
            </td>
            <td className={cellClass}>
              <span className="font-medium">{entry.verb}</span> {entry.resource}{" "}
              <span className={`font-mono text-xs ${mutedClass}`}>
                {entry.resourceId?.slice(0, 8)}
              </span>
              {open === entry.id ? (
                <div className="mt-2 grid gap-2 sm:grid-cols-2" data-testid="audit-diff">
                  {changedKeys(entry.before, entry.after).map((key) => (
                    <div
                      key={key}
                      className="col-span-full grid grid-cols-[8rem_1fr_1fr] gap-2 font-mono text-xs"
                    >
                      <span className={`${mutedClass}`}>{key}</span>
                      <span className="break-all text-red-800 dark:text-red-300">
                        {JSON.stringify(
                          (entry.before as Record<string, unknown> | null)?.[key] ?? null,
                        )}
                      </span>
                      <span className="break-all text-emerald-800 dark:text-emerald-300">
                        {JSON.stringify(
                          (entry.after as Record<string, unknown> | null)?.[key] ?? null,
                        )}
                      </span>
                    </div>
                  ))}
                </div>
              ) : null}
            </td>
            <td className={cellClass}>
              {entry.source}
              <div className={`font-mono text-xs ${mutedClass}`}>{entry.requestId.slice(0, 8)}</div>
            </td>
            <td className={cellClass}>
              <Button onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                {open === entry.id ? "Hide" : "Changes"}
              </Button>
            </td>
          </tr>
        ))}
      </Table>
      <div className="flex gap-2">
        <Button onClick={() => setPages(pages.slice(0, -1))} disabled={pages.length === 1}>
          Newer entries
        </Button>
        <Button
          onClick={() => log.data?.nextPageToken && setPages([...pages, log.data.nextPageToken])}
          disabled={!log.data?.nextPageToken}
        >
          Older entries
        </Button>
      </div>
    </div>
  );
}
