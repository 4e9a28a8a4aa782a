"use client";

import { useId } from "react";
import { Field, inputClass, mutedClass } from "~/ui/controls";
import type { FieldProblem } from "./rule-format";

/**
 * A CEL expression box. A problem the API found is shown under it at its position (the line and
 * column the API sends as fields): the line of the expression with a caret under the column, and
 * the message, which names them too.
 */
export function CelField({
  label,
  name,
  value,
  onChange,
  problem,
  disabled,
  hint,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  problem: FieldProblem | null;
  disabled?: boolean;
  hint?: string;
}) {
  const id = useId();
  const at =
    problem?.line && problem.column ? { line: problem.line, column: problem.column } : null;
  const line = at ? (value.split("\n")[at.line - 1] ?? "") : null;
  return (
    <div className="flex flex-col gap-1">
      <Field label={label}>
        <textarea
          name={name}
          className={`${inputClass} font-mono`}
          rows={Math.min(8, Math.max(2, value.split("\n").length))}
          spellCheck={false}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : hint ? `${id}-hint` : undefined}
        />
      </Field>
      {hint && !problem ? (
        <span id={`${id}-hint`} className={`text-xs ${mutedClass}`}>
          {hint}
        </span>
      ) : null}
      {problem ? (
        <div
          id={`${id}-problem`}
          role="alert"
          data-testid={`${name}-problem`}
          {...(at ? { "data-line": String(at.line), "data-column": String(at.column) } : {})}
          className="flex flex-col gap-1 text-xs text-red-700 dark:text-red-300"
        >
          {at && line !== null ? (
            <pre
              aria-hidden
              data-testid={`${name}-caret`}
              className="overflow-x-auto rounded bg-red-50 p-2 font-mono dark:bg-red-950"
            >
              {`${line}\n${" ".repeat(Math.max(0, at.column - 1))}^`}
            </pre>
          ) : null}
          <span>{problem.message}</span>
        </div>
      ) : null}
    </div>
  );
}
