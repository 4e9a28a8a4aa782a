import { z } from "zod";
import { Filter, ListInput, orderBy, Search, Timestamp } from "./common";
import { Label, Name, Ref } from "./location";
import { Version } from "./system";
import { Severity } from "./template";

/*
 * Suppression (DESIGN.md §8, decision 0010): maintenance windows (a local schedule in an IANA
 * zone over a scope) and silences (matchers with a mandatory expiry). Suppression never hides:
 * a suppressed alarm is still listed, with the window or silence that applied.
 */

// --- maintenance windows ---------------------------------------------------------------------

export const MaintenanceScopeKind = z
  .enum(["location", "system", "template", "owner"])
  .describe(
    "location: that location and everything below it; system: its member components; template: every component of a template (any version, platform-level); owner: one component.",
  );

export const MaintenanceWindowScope = z
  .object({
    kind: MaintenanceScopeKind,
    ref: z
      .string()
      .describe("location or system: its path; template: its name; owner: the component's path."),
    id: z.uuid().nullable().describe("The location, system or component (null for a template)."),
  })
  .meta({ id: "MaintenanceWindowScope" });

const ScheduleFields = {
  dtstart: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "a local time YYYY-MM-DDTHH:mm (no offset)")
    .describe("The first start as a local wall time in `timeZone`, `YYYY-MM-DDTHH:mm`.")
    .meta({ examples: ["2026-03-07T02:30"] }),
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .describe("An IANA time zone, e.g. `Europe/London`.")
    .meta({ examples: ["America/New_York"] }),
  duration: z
    .string()
    .min(1)
    .max(20)
    .describe("Elapsed length of each occurrence: `90m`, `2h`.")
    .meta({ examples: ["2h"] }),
  rrule: z
    .string()
    .max(500)
    .nullable()
    .optional()
    .describe(
      "RRULE subset (decision 0010): FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYHOUR, BYMINUTE, COUNT, UNTIL, WKST. Null: once.",
    ),
};

export const MaintenanceWindow = z
  .object({
    id: z.uuid(),
    name: Name,
    label: z.string().nullable(),
    description: z.string(),
    scope: MaintenanceWindowScope,
    ...ScheduleFields,
    rrule: z.string().nullable(),
    enabled: z.boolean(),
    author: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }),
    activeNow: z.boolean().describe("Whether an occurrence is open now."),
    nextStart: Timestamp.nullable().describe("The next occurrence's start after now (UTC)."),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "MaintenanceWindow" });
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

const ScopeInput = z
  .object({ kind: MaintenanceScopeKind, ref: z.string().min(1).max(1000) })
  .meta({ id: "MaintenanceWindowScopeInput" });

const WindowFields = {
  label: Label.optional(),
  description: z.string().trim().max(1000).optional(),
  scope: ScopeInput,
  ...ScheduleFields,
  enabled: z.boolean().default(true),
};

export const CreateMaintenanceWindowInput = z.object({ name: Name, ...WindowFields }).meta({
  id: "CreateMaintenanceWindowInput",
  examples: [
    {
      name: "north-saturday-patching",
      scope: { kind: "location", ref: "north" },
      dtstart: "2026-03-07T02:30",
      timeZone: "America/New_York",
      duration: "2h",
      rrule: "FREQ=WEEKLY;BYDAY=SA",
    },
  ],
});
export type CreateMaintenanceWindowInput = z.infer<typeof CreateMaintenanceWindowInput>;

export const UpdateMaintenanceWindowInput = z
  .object({
    ref: Ref,
    label: Label.nullable().optional(),
    description: z.string().trim().max(1000).optional(),
    scope: ScopeInput.optional(),
    dtstart: ScheduleFields.dtstart.optional(),
    timeZone: ScheduleFields.timeZone.optional(),
    duration: ScheduleFields.duration.optional(),
    rrule: ScheduleFields.rrule,
    enabled: z.boolean().optional(),
    version: Version,
  })
  .meta({ id: "UpdateMaintenanceWindowInput" });
export type UpdateMaintenanceWindowInput = z.infer<typeof UpdateMaintenanceWindowInput>;

export const ListMaintenanceWindowsInput = ListInput.extend({
  filter: Filter.describe(
    "Space-separated `field=value` terms: `scope` (location|system|template|owner), `enabled` (true|false).",
  ),
  q: Search,
  order_by: orderBy(["name", "created_at"], "name"),
});
export type ListMaintenanceWindowsInput = z.infer<typeof ListMaintenanceWindowsInput>;

const PreviewCount = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(10)
  .describe("How many next occurrences (max 100).");

export const PreviewMaintenanceWindowInput = z.object({ ref: Ref, count: PreviewCount });
export type PreviewMaintenanceWindowInput = z.infer<typeof PreviewMaintenanceWindowInput>;

export const PreviewDraftMaintenanceWindowInput = z
  .object({
    window: z.object({ name: Name.optional(), ...WindowFields }),
    count: PreviewCount,
  })
  .meta({ id: "PreviewDraftMaintenanceWindowInput" });
export type PreviewDraftMaintenanceWindowInput = z.infer<typeof PreviewDraftMaintenanceWindowInput>;

export const WindowOccurrence = z
  .object({
    start: Timestamp,
    end: Timestamp,
    localStart: z.string().describe("`YYYY-MM-DDTHH:mm` in the window's zone."),
    localEnd: z.string(),
    dst: z
      .enum(["exact", "gap", "repeated"])
      .describe(
        "exact; gap: the local start did not exist (spring forward), moved to the transition; repeated: the local hour ran twice, the first is used.",
      ),
  })
  .meta({ id: "WindowOccurrence" });

export const SuppressedAlarm = z
  .object({
    id: z.uuid(),
    rule: z.string(),
    owner: z.string().describe("The owner's path."),
    severity: Severity,
    openedAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
  })
  .meta({ id: "SuppressedAlarm" });

export const MaintenanceWindowPreview = z
  .object({
    timeZone: z.string(),
    next: z.array(WindowOccurrence).describe("The next occurrences from now (an open one first)."),
    lastWeek: z.object({
      from: Timestamp,
      to: Timestamp,
      occurrences: z.array(WindowOccurrence),
      alarms: z
        .array(SuppressedAlarm)
        .describe("Alarms you may read, of owners in scope, open during an occurrence."),
      truncated: z.boolean().describe("More alarms than the 500 looked at."),
    }),
  })
  .meta({ id: "MaintenanceWindowPreview" });
export type MaintenanceWindowPreview = z.infer<typeof MaintenanceWindowPreview>;

// --- silences ----------------------------------------------------------------------------------

const listOfValues = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(50);

export const SilenceMatchersInput = z
  .object({
    rules: listOfValues(Name).optional().describe("Rule names; any of them."),
    owner: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe("A location, system or component (path or id): it and everything below it."),
    severities: listOfValues(Severity).optional(),
    templates: listOfValues(z.string().max(120))
      .optional()
      .describe("Template names (any version) or `name@version`."),
  })
  .strict()
  .meta({ id: "SilenceMatchers" });

const Expiry = Timestamp.describe(
  "Mandatory: when the silence ends, at most the configured maximum (default 7 days) after its start.",
);

export const Silence = z
  .object({
    id: z.uuid(),
    matchers: SilenceMatchersInput,
    owner: z
      .object({ kind: z.enum(["location", "system", "component"]), id: z.uuid(), path: z.string() })
      .nullable()
      .describe("Where the silence is placed (its owner matcher); null: platform-level."),
    author: z.object({ id: z.uuid().nullable(), name: z.string() }),
    reason: z.string(),
    startsAt: Timestamp,
    expiresAt: Timestamp,
    expiredEarly: z
      .object({ at: Timestamp, by: z.uuid().nullable() })
      .nullable()
      .describe("Set when someone ended it before its expiry."),
    state: z.enum(["pending", "active", "expired"]),
    lastMatchedAt: Timestamp.nullable(),
    idle: z.boolean().describe("Active and matched nothing for a day: it may be aimed wrong."),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Silence" });
export type Silence = z.infer<typeof Silence>;

export const CreateSilenceInput = z
  .object({
    matchers: SilenceMatchersInput,
    reason: z.string().trim().min(1).max(500),
    startsAt: Timestamp.optional().describe("Default: now."),
    expiresAt: Expiry.nullable().optional(),
  })
  .meta({
    id: "CreateSilenceInput",
    examples: [
      {
        matchers: { owner: "north.b1.room-2", severities: ["warning"] },
        reason: "Projector lamp ordered, ticket 4711",
        expiresAt: "2026-12-03T18:00:00Z",
      },
    ],
  });
export type CreateSilenceInput = z.infer<typeof CreateSilenceInput>;

export const UpdateSilenceInput = z
  .object({
    id: z.uuid(),
    matchers: SilenceMatchersInput.optional(),
    reason: z.string().trim().min(1).max(500).optional(),
    expiresAt: Expiry.optional(),
    version: Version,
  })
  .meta({ id: "UpdateSilenceInput" });
export type UpdateSilenceInput = z.infer<typeof UpdateSilenceInput>;

export const ExpireSilenceInput = z.object({ id: z.uuid(), version: Version });
export type ExpireSilenceInput = z.infer<typeof ExpireSilenceInput>;

export const ListSilencesInput = ListInput.extend({
  state: z.enum(["pending", "active", "expired"]).optional(),
  q: Search.describe("Reason or author contains this."),
  order_by: orderBy(["created_at", "expires_at"], "-created_at"),
});
export type ListSilencesInput = z.infer<typeof ListSilencesInput>;
