import { Name } from "@omniglass/contracts";
import { z } from "zod";

/*
 * The estate file format (`estate.yaml` and the files it includes), as zod schemas: the
 * source of docs/reference/estate.schema.json (`pnpm gen:estate-schema`). Every object is
 * strict: a key not declared here is a diagnostic, never extension data. Free-form data goes
 * under `labels` (strings) or `metadata` (any JSON) only.
 *
 * References are typed addresses (`location.campus.hq`); where a field fixes the kind, the bare
 * body is accepted (`node: edge-1`). The loader normalizes them (see address.ts); this schema
 * only says they are strings.
 */

export const ESTATE_SCHEMA_ID = "urn:omniglass:schema:estate";
export const ESTATE_FORMAT_VERSION = 1;

/** Defaults the loader fills in and the exporter leaves out: one table for both. */
export const DEFAULTS = {
  quorum: 1,
  primary: false,
  ownerKind: "component",
  sustainSeconds: 0,
  ruleScope: "all",
  enabled: true,
  flapWindowSeconds: 600,
  flapThreshold: 4,
  actionScope: "all",
  grantScope: "all",
  locationOperator: "subtree",
} as const;

/** Where each object schema sits, for "misplaced key" messages: place name → description. */
export const PLACES = new Map<z.ZodType, { name: string; where: string }>();
export function place<T extends z.ZodType>(schema: T, name: string, where: string): T {
  PLACES.set(schema, { name, where });
  return schema;
}

export const ref = (what: string) => z.string().min(1).max(1100).describe(what);

/** `${env:NAME}`: the value is read from the applying host's environment, never stored in files. */
export const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

export const SecretRefObject = place(
  z
    .strictObject({
      secretRef: Name.describe("The name of a secret the applying host resolves."),
    })
    .describe("A reference to a named secret."),
  "secret-ref",
  "a secret reference ({ secretRef: <name> })",
);

export const SecretReference = z
  .union([
    z
      .string()
      .regex(ENV_REFERENCE, "a reference ${env:NAME}")
      .describe("`${env:NAME}`: read from the environment of whoever applies."),
    SecretRefObject,
  ])
  .describe("A secret, by reference only: `${env:NAME}` or `{ secretRef: <name> }`. Never inline.");

const LabelKey = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/, "lowercase letters, digits and . _ / -")
  .max(100);
const Labels = z
  .record(LabelKey, z.string().max(200))
  .describe("Free-form string labels (not secrets): the only place for arbitrary keys.");
const Metadata = z
  .record(LabelKey, z.json())
  .describe("Free-form JSON data (not secrets): the only place for arbitrary structures.");

export const Tags = z
  .record(Name, z.string().min(1).max(200))
  .describe("Tags bound here (inherited below: platform › location tree › system › component).");
export const Variables = z
  .record(Name, z.union([SecretReference, z.json()]))
  .describe(
    "Variables bound here: any JSON value, or a secret by reference (`${env:NAME}`, `{ secretRef }`) — a secret variable.",
  );

const Existing = z
  .literal(true)
  .describe(
    "A reference to an object that exists already and that these files do not manage: only tags and variables may be set on it.",
  );

/** The stub form of a kind: `existing: true` (and bindings where the kind takes them). */
export function existingStub(kind: string, bindings: boolean) {
  return place(
    z.strictObject(
      bindings
        ? { existing: Existing, tags: Tags.optional(), variables: Variables.optional() }
        : { existing: Existing },
    ),
    `${kind}-existing`,
    `an existing ${kind} (existing: true)`,
  );
}

export const bucket = { labels: Labels.optional(), metadata: Metadata.optional() };
export const bindings = { tags: Tags.optional(), variables: Variables.optional() };
