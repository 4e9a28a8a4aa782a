"use client";

import { useState } from "react";
import { Button, mutedClass } from "~/ui/controls";

/**
 * "Assessment" in a location's or system's header: downloads the assessment of its subtree
 * (GET /api/v1/assessment with the session cookie) as Markdown for a person or JSON for a
 * machine (docs/guides/assessment.md). Nothing is computed in the browser: the links are the
 * server's own answer, saved as a file.
 */
export function AssessmentButton({ scope }: { scope: string }) {
  const [open, setOpen] = useState(false);
  const href = (format: "md" | "json") =>
    `/api/v1/assessment?scope=${encodeURIComponent(scope)}&format=${format}`;
  const file = (ext: string) => `assessment-${scope}.${ext}`;
  const link =
    "rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <div className="relative flex items-center gap-2">
      <Button
        aria-expanded={open}
        aria-controls={open ? "assessment-downloads" : undefined}
        onClick={() => setOpen(!open)}
      >
        Assessment
      </Button>
      {open ? (
        <div
          id="assessment-downloads"
          className="flex items-center gap-2"
          role="group"
          aria-label="Download the assessment"
        >
          <a className={link} href={href("md")} download={file("md")}>
            Markdown
          </a>
          <a className={link} href={href("json")} download={file("json")}>
            JSON
          </a>
          <span className={`text-xs ${mutedClass}`}>status with evidence and contradictions</span>
        </div>
      ) : null}
    </div>
  );
}
