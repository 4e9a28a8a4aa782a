import type { Assessment, AssessmentAlarm, SummaryItem } from "@omniglass/contracts";

/*
 * The assessment for a person: the same content as the JSON, in the same order (the JSON's own),
 * as Markdown with a heading per location, system and component and tables for rows. Pure: the
 * same assessment gives the same bytes.
 */

/** A table cell: no pipes or line breaks can break out of it. */
const cell = (value: unknown): string => {
  if (value === null || value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ") || "—";
};

const code = (value: string) => `\`${value.replace(/`/g, "'")}\``;

function table(head: string[], rows: unknown[][]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
    "",
  ];
}

function alarmTable(alarms: AssessmentAlarm[]): string[] {
  if (alarms.length === 0) return [];
  return [
    "Open alarms:",
    "",
    ...table(
      ["Severity", "Rule", "Summary", "Since", "Acknowledged", "Suppressed", "Alarm id"],
      alarms.map((a) => [
        a.severity,
        a.instance ? `${a.rule}[${a.instance}]` : a.rule,
        a.summary,
        a.since,
        a.acknowledged ? "yes" : "no",
        a.suppressed ? "yes" : "no",
        a.id,
      ]),
    ),
  ];
}

const verdict = (h: { verdict: string | null; since: string | null }) =>
  h.verdict ? `**${h.verdict}** since ${h.since}` : "**no verdict yet**";

function summaryList(title: string, items: SummaryItem[]): string[] {
  if (items.length === 0) return [`### ${title} (0)`, "", "None.", ""];
  return [
    `### ${title} (${items.length})`,
    "",
    ...items.map(
      (i) => `- ${code(i.ref)} (${i.kind}, ${i.verdict ?? "no verdict"}): ${cell(i.reason)}`,
    ),
    "",
  ];
}

export function renderAssessmentMarkdown(a: Assessment): string {
  const lines: string[] = [
    `# Assessment of ${a.scope.path}`,
    "",
    ...table(
      ["Field", "Value"],
      [
        ["Generated at", a.generatedAt],
        ["Product version", a.productVersion],
        ["Estate revision", a.estateRevision],
        ["Scope", `${a.scope.kind} ${a.scope.path} (asked as ${a.scope.ref})`],
        ["Requested by", a.requestedBy],
      ],
    ),
    "Every time below is the instant of a stored fact; its age is *Generated at* minus that instant. Only *Generated at* changes between two assessments with no change in between.",
    "",
    "## Summary",
    "",
    ...table(
      ["State", "Count"],
      [
        ["Working", a.summary.working.count],
        ["Degraded", a.summary.degraded.count],
        ["Missing", a.summary.missing.count],
        ["Blocked", a.summary.blocked.count],
        ["Contradictions", a.summary.contradictions],
      ],
    ),
    ...summaryList("Degraded", a.summary.degraded.items),
    ...summaryList("Missing", a.summary.missing.items),
    ...summaryList("Blocked", a.summary.blocked.items),
    ...summaryList("Working", a.summary.working.items),
    "## Contradictions",
    "",
  ];
  if (a.contradictions.length === 0) lines.push("None found.", "");
  else
    lines.push(
      ...table(
        [
          "Kind",
          "Object",
          "Field",
          "Declared",
          "Declared in",
          "Observed",
          "Observed by",
          "Observed at",
        ],
        a.contradictions.map((c) => [
          c.kind,
          c.ref,
          c.field,
          c.declared.value,
          c.declared.where,
          c.observed.value,
          c.observed.source,
          c.observed.at,
        ]),
      ),
    );

  if (a.locations.length > 0) {
    lines.push("## Locations", "");
    for (const l of a.locations) {
      lines.push(`### ${l.path}${l.label ? ` — ${l.label}` : ""}`, "");
      lines.push(`${l.type}, ${verdict(l.health)}: ${cell(l.health.explanation)}`, "");
      lines.push(...alarmTable(l.alarms));
    }
  }

  lines.push("## Systems", "");
  if (a.systems.length === 0) lines.push("None in scope.", "");
  for (const s of a.systems) {
    lines.push(`### ${s.path}${s.label ? ` — ${s.label}` : ""}`, "");
    lines.push(
      `${s.type} in ${s.location}, ${verdict(s.health)}: ${cell(s.health.explanation)}`,
      "",
    );
    if (s.roles.length > 0)
      lines.push(
        ...table(
          ["Role", "Quorum", "Impact", "Filled by"],
          s.roles.map((r) => [r.name, r.quorum, r.impact, r.filledBy.join(", ") || null]),
        ),
      );
    lines.push(`Members: ${s.members.length > 0 ? s.members.map(code).join(", ") : "none"}.`, "");
    lines.push(...alarmTable(s.alarms));
  }

  lines.push("## Components", "");
  if (a.components.length === 0) lines.push("None in scope.", "");
  for (const c of a.components) {
    lines.push(`### ${c.path}${c.label ? ` — ${c.label}` : ""}`, "");
    lines.push(
      `${c.template}, ${[c.vendor, c.model].filter(Boolean).join(" ") || "no vendor or model declared"}; ${c.monitored ? "monitored" : "**not monitored**"}${c.collectors.length > 0 ? ` by ${c.collectors.map((n) => `${n.node} (${n.online ? "online" : "**down**"})`).join(", ")}` : ""}; serves ${c.systems.length > 0 ? c.systems.map(code).join(", ") : "no system"}. ${verdict(c.health)}: ${cell(c.health.explanation)}`,
      "",
    );
    if (c.samples.length > 0)
      lines.push(
        ...table(
          [
            "Signal",
            "Value",
            "Observed at",
            "Freshness",
            "Node",
            "Interface",
            "Protocol",
            "Sent by",
          ],
          c.samples.map((s) => [
            s.instance ? `${s.signal}[${s.instance}]` : s.signal,
            s.value === null
              ? null
              : `${typeof s.value === "string" ? s.value : JSON.stringify(s.value)}${s.unit ? ` ${s.unit}` : ""}`,
            s.observedAt,
            s.freshness === "stale" ? `stale since ${s.staleSince}` : s.freshness,
            s.source.node,
            s.source.interface,
            s.source.protocol,
            s.source.principal,
          ]),
        ),
      );
    lines.push(...alarmTable(c.alarms));
    if (c.stale.length > 0) lines.push(`Stale: ${c.stale.map(code).join(", ")}.`, "");
    if (c.gaps.length > 0)
      lines.push(
        "Coverage gaps:",
        "",
        ...c.gaps.map(
          (g) => `- ${g.kind}${g.signal ? ` ${code(g.signal)}` : ""}: ${cell(g.detail)}`,
        ),
        "",
      );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
