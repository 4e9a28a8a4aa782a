"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { z } from "zod";
import type { PreviewDraftInput } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import {
  Button,
  cellClass,
  ErrorText,
  Field,
  inputClass,
  Muted,
  mutedClass,
  Table,
} from "~/ui/controls";
import { formatDuration, plural } from "~/ui/format";
import { componentHref, TextLink } from "~/ui/links";
import { Section } from "~/ui/section";
import { Time } from "~/ui/time";

const HOURS = [1, 6, 24, 72, 168] as const;

export type DraftBody = z.input<typeof PreviewDraftInput>["rule"];

/**
 * What the rule would have done over the last N hours of history: each episode (fired, cleared or
 * still firing) per owner. A saved rule without edits is previewed as saved; anything else as the
 * draft in the form. Writes nothing.
 */
export function RulePreview({
  saved,
  draft,
  onProblems,
}: {
  /** The saved rule's id when the form holds exactly what is saved. */
  saved: string | null;
  draft: () => DraftBody;
  onProblems: (error: unknown) => void;
}) {
  const trpc = useTRPC();
  const [hours, setHours] = useState<number>(24);
  const ofSaved = useMutation(trpc.rule.preview.mutationOptions({ onError: onProblems }));
  const ofDraft = useMutation(trpc.rule.previewDraft.mutationOptions({ onError: onProblems }));
  const run = () => {
    onProblems(null);
    ofSaved.reset();
    ofDraft.reset();
    if (saved) ofSaved.mutate({ ref: saved, hours });
    else ofDraft.mutate({ rule: draft(), hours });
  };
  const result = ofSaved.data ?? ofDraft.data;
  const pending = ofSaved.isPending || ofDraft.isPending;
  const now = Date.now();
  return (
    <Section title="Preview">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Over the last">
          <select
            className={inputClass}
            value={hours}
            onChange={(e) => setHours(Number(e.target.value))}
          >
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {h < 24 ? plural(h, "hour") : plural(h / 24, "day")}
              </option>
            ))}
          </select>
        </Field>
        <Button onClick={run} disabled={pending}>
          {saved ? "Preview the saved rule" : "Preview this draft"}
        </Button>
      </div>
      <ErrorText error={ofSaved.error ?? ofDraft.error} />
      {result ? (
        <div className="flex flex-col gap-2" data-testid="preview-result">
          <p className="text-sm" data-testid="preview-summary">
            {`Would have fired ${plural(result.episodes.length, "time")} in ${plural(result.hours, "hour")}`}
            <Muted className="ml-2">
              {`(${plural(result.owners, "owner")} looked at, ${plural(result.samples, "sample")} replayed)`}
            </Muted>
          </p>
          {result.truncated ? (
            <p className="text-sm text-amber-800 dark:text-amber-300">
              Cut short at the preview&apos;s limits: this covers part of the scope only.
            </p>
          ) : null}
          {result.episodes.length === 0 ? (
            <p className={`text-sm ${mutedClass}`}>It would not have fired.</p>
          ) : (
            <Table head={["Owner", "Instance", "Fired", "Cleared", "Lasted"]}>
              {result.episodes.map((e, i) => (
                <tr key={i} data-testid="preview-episode" data-owner={e.owner.path}>
                  <td className={cellClass}>
                    <TextLink href={componentHref(e.owner.path)}>{e.owner.path}</TextLink>
                  </td>
                  <td className={cellClass}>
                    <span className="font-mono">{e.instance}</span>
                  </td>
                  <td className={cellClass}>
                    <Time value={e.firedAt} />
                  </td>
                  <td className={cellClass}>
                    {e.clearedAt ? <Time value={e.clearedAt} /> : <Muted>still firing</Muted>}
                  </td>
                  <td className={cellClass}>
                    {formatDuration(
                      ((e.clearedAt ? Date.parse(e.clearedAt) : now) - Date.parse(e.firedAt)) /
                        1000,
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </div>
      ) : null}
    </Section>
  );
}
