import { Name, Severity, Timestamp } from "@omniglass/contracts";
import { z } from "zod";
import { OmniglassError } from "../errors";

/**
 * Silences: an operator's "do not notify about this", always with an expiry.
 *
 * Every matcher given must match (AND); within a list any value may (OR). At least one matcher
 * is required — a silence of everything is what a maintenance window over a location is for.
 * An owner matcher is a dotted path matched as a subtree at a label boundary: `north.b1` takes
 * `north.b1` and `north.b1.room-2.display`, never `north.b10`. A template matcher is a name
 * (any version) or `name@version`.
 */

/** The default longest silence (a deployment configures its own): seven days. */
export const DEFAULT_SILENCE_MAX_MS = 7 * 86_400_000;
/** An active silence that matched nothing for this long says so. */
export const SILENCE_IDLE_MS = 86_400_000;

const Path = z
  .string()
  .max(1000)
  .regex(
    /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/,
    "a dotted path of lowercase names (`north.b1.room-2`)",
  );
const TemplateRef = z
  .string()
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]*(@[1-9]\d*)?$/, "a template name, optionally `@version`");

const listOf = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(50);

export const SilenceMatchers = z
  .object({
    rules: listOf(Name).optional().describe("Rule names; any of them."),
    owner: Path.optional().describe("An owner path: that owner and everything below it."),
    severities: listOf(Severity).optional(),
    templates: listOf(TemplateRef)
      .optional()
      .describe("Template names (any version) or `name@version`."),
  })
  .strict()
  .refine(
    (m) => m.rules || m.owner || m.severities || m.templates,
    "at least one matcher (rules, owner, severities or templates)",
  );
export type SilenceMatchers = z.infer<typeof SilenceMatchers>;

const required = (what: string) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined || issue.input === null ? `required: ${what}` : undefined,
});

export const SilenceInput = z.object({
  matchers: SilenceMatchers,
  author: z.string(required("who silences")).min(1).max(200),
  reason: z.string(required("why")).trim().min(1).max(500),
  startsAt: Timestamp.optional().describe("Default: now."),
  expiresAt: Timestamp.describe("Mandatory: a silence always ends."),
});
export type SilenceInput = z.input<typeof SilenceInput>;

export interface Silence {
  matchers: SilenceMatchers;
  author: string;
  reason: string;
  startsAt: Date;
  expiresAt: Date;
}

/** What a silence is matched against: one alarm's rule, owner, severity and template. */
export interface AlarmFacts {
  rule: string;
  /** The owner's dotted path (a node: its name). */
  ownerPath: string;
  severity: Severity;
  /** `name@version` of the owner's template; null for an owner without one (a location). */
  template: string | null;
}

function invalid(field: string, message: string): never {
  throw new OmniglassError("INVALID", `Invalid silence: ${field}: ${message}`, {
    fieldErrors: [{ field, message }],
  });
}

/**
 * Validates a silence. The expiry is mandatory, later than now and than its start, and at most
 * `maxMs` (default seven days) after the later of now and its start.
 */
export function validateSilence(input: unknown, options: { now: Date; maxMs?: number }): Silence {
  const maxMs = options.maxMs ?? DEFAULT_SILENCE_MAX_MS;
  if (!(maxMs > 0)) throw new RangeError("validateSilence: maxMs must be positive");
  if (
    typeof input === "object" &&
    input !== null &&
    ((input as Record<string, unknown>).expiresAt ?? null) === null
  ) {
    invalid("expiresAt", "required: a silence must expire (an ISO 8601 time)");
  }
  const parsed = SilenceInput.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = parsed.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.map(String).join(".") : "(input)",
      message: issue.message,
    }));
    throw new OmniglassError(
      "INVALID",
      `Invalid silence: ${fieldErrors[0]!.field}: ${fieldErrors[0]!.message}`,
      {
        fieldErrors,
        cause: parsed.error,
      },
    );
  }
  const { matchers, author, reason } = parsed.data;
  const now = options.now.getTime();
  const startsAt = parsed.data.startsAt === undefined ? now : Date.parse(parsed.data.startsAt);
  const expiresAt = Date.parse(parsed.data.expiresAt);
  if (expiresAt <= now) invalid("expiresAt", "must be in the future");
  if (expiresAt <= startsAt) invalid("expiresAt", "must be after startsAt");
  if (expiresAt - Math.max(now, startsAt) > maxMs) {
    invalid("expiresAt", `a silence may last at most ${formatDays(maxMs)}`);
  }
  return { matchers, author, reason, startsAt: new Date(startsAt), expiresAt: new Date(expiresAt) };
}

function formatDays(ms: number): string {
  const hours = ms / 3_600_000;
  const [n, unit] = hours % 24 === 0 ? [hours / 24, "day"] : [hours, "hour"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** Whether `path` is `root` or below it, at a label boundary. */
export function inSubtree(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`);
}

function templateMatches(wanted: string, actual: string | null): boolean {
  if (actual === null) return false;
  return wanted.includes("@") ? wanted === actual : actual.split("@")[0] === wanted;
}

/** Whether the silence's matchers all match the alarm (its times are not looked at). */
export function silenceMatches(silence: Pick<Silence, "matchers">, alarm: AlarmFacts): boolean {
  const { rules, owner, severities, templates } = silence.matchers;
  if (rules && !rules.includes(alarm.rule)) return false;
  if (owner !== undefined && !inSubtree(alarm.ownerPath, owner)) return false;
  if (severities && !severities.includes(alarm.severity)) return false;
  if (templates && !templates.some((t) => templateMatches(t, alarm.template))) return false;
  return true;
}

/** Whether the silence is in force at an instant: startsAt ≤ instant < expiresAt. */
export function silenceActiveAt(silence: Pick<Silence, "startsAt" | "expiresAt">, instant: Date) {
  return silence.startsAt <= instant && instant < silence.expiresAt;
}

/** Whether it silences this alarm now: in force and matching. */
export function silenceSuppresses(silence: Silence, alarm: AlarmFacts, instant: Date): boolean {
  return silenceActiveAt(silence, instant) && silenceMatches(silence, alarm);
}

/**
 * Whether an active silence has matched nothing for a day (`lastMatchedAt` null: never), so
 * the console can say it may be aimed wrong.
 */
export function silenceIsIdle(
  silence: Pick<Silence, "startsAt" | "expiresAt">,
  lastMatchedAt: Date | null,
  now: Date,
): boolean {
  if (!silenceActiveAt(silence, now)) return false;
  const since = Math.max(silence.startsAt.getTime(), lastMatchedAt?.getTime() ?? 0);
  return now.getTime() - since >= SILENCE_IDLE_MS;
}
