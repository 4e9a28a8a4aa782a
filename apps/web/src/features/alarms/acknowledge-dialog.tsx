"use client";

import { useState } from "react";
import { Button, ErrorText, Field, inputClass, mutedClass } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { plural } from "~/ui/format";

/** How long an acknowledgement may last before it lapses (the API's `expiresInMinutes`). */
const EXPIRIES = [
  ["", "until it resolves"],
  ["30", "30 minutes"],
  ["60", "1 hour"],
  ["240", "4 hours"],
  ["1440", "1 day"],
  ["10080", "7 days"],
] as const;

/**
 * Confirms an acknowledgement of one or many alarms: a comment for the next person (required) and
 * an optional expiry. Nothing is sent until Acknowledge is pressed.
 */
export function AcknowledgeDialog({
  count,
  summaries,
  onConfirm,
  onClose,
  state,
}: {
  count: number;
  /** What is being acknowledged, as the operator reads it (the first few). */
  summaries: string[];
  onConfirm: (input: { comment: string; expiresInMinutes?: number }) => void;
  onClose: () => void;
  state: { isPending: boolean; error: { message: string } | null };
}) {
  const [comment, setComment] = useState("");
  const [expiry, setExpiry] = useState("");
  const [tried, setTried] = useState(false);
  const missing = comment.trim() === "";
  return (
    <Dialog title={`Acknowledge ${plural(count, "alarm")}`} onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (missing) return;
          onConfirm({
            comment: comment.trim(),
            ...(expiry ? { expiresInMinutes: Number(expiry) } : {}),
          });
        }}
      >
        <ul className={`list-disc pl-5 text-sm ${mutedClass}`} data-testid="ack-summaries">
          {summaries.slice(0, 5).map((s, i) => (
            <li key={i}>{s}</li>
          ))}
          {summaries.length > 5 ? <li>and {summaries.length - 5} more</li> : null}
        </ul>
        <p className="text-sm">
          You take ownership: an acknowledgement never resolves an alarm nor hides it.
        </p>
        <Field label="Comment (what is being done)">
          <textarea
            className={inputClass}
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            aria-invalid={tried && missing ? true : undefined}
            maxLength={2000}
            required
          />
        </Field>
        {tried && missing ? (
          <span className="text-xs text-red-700 dark:text-red-300">a comment is required</span>
        ) : null}
        <Field label="Expires">
          <select className={inputClass} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRIES.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <ErrorText error={state.error} />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={state.isPending}>
            Acknowledge
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
