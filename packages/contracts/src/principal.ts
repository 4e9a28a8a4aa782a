import { z } from "zod";
import { Label, Name, Ref } from "./location";
import { Timestamp } from "./common";
import { GrantScope } from "./access";

export const PrincipalKind = z.enum(["human", "service", "node"]);

export const Principal = z
  .object({
    id: z.uuid(),
    kind: PrincipalKind,
    name: z.string(),
    label: z.string().nullable(),
    email: z.string().nullable(),
    hasPassword: z.boolean(),
    disabled: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int().positive(),
  })
  .meta({ id: "Principal" });
export type Principal = z.infer<typeof Principal>;

export const Token = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z
      .string()
      .describe(
        "The first characters of the token, to recognise it; the rest is never shown again.",
      ),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: "Token" });
export type Token = z.infer<typeof Token>;

export const Grant = z
  .object({
    id: z.uuid(),
    role: z.string(),
    scope: GrantScope,
    createdAt: Timestamp,
  })
  .meta({ id: "Grant" });
export type Grant = z.infer<typeof Grant>;

export const PrincipalDetail = Principal.extend({
  grants: z.array(Grant),
  tokens: z.array(Token),
}).meta({ id: "PrincipalDetail" });
export type PrincipalDetail = z.infer<typeof PrincipalDetail>;

export const Password = z.string().min(12, "at least 12 characters").max(1000);

export const CreatePrincipalInput = z.object({
  kind: z.enum(["human", "service"]),
  name: Name,
  label: Label.optional(),
  email: z.email().max(320).optional(),
  password: Password.optional().describe("Humans only: the console password."),
});
export type CreatePrincipalInput = z.infer<typeof CreatePrincipalInput>;

export const UpdatePrincipalInput = z.object({
  id: z.uuid(),
  label: Label.nullable().optional(),
  email: z.email().max(320).nullable().optional(),
  password: Password.optional(),
  version: z.number().int().positive().optional(),
});
export type UpdatePrincipalInput = z.infer<typeof UpdatePrincipalInput>;

export const CreateTokenInput = z.object({
  id: z.uuid().describe("The principal the token acts as."),
  name: Name.describe("What the token is for, e.g. `itsm-sync`."),
  expiresAt: Timestamp.optional(),
});
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

export const CreatedToken = Token.extend({
  token: z.string().describe("The secret. Shown in this response only; store it now."),
}).meta({ id: "CreatedToken" });

export const CreateGrantInput = z.object({
  id: z.uuid().describe("The principal receiving the grant."),
  role: z.string().min(1).max(100),
  scope: z.union([
    z.object({ kind: z.literal("all") }),
    z.object({
      kind: z.literal("location"),
      location: Ref,
      operator: z.enum(["subtree", "descendants", "self"]).default("subtree"),
    }),
    z
      .object({ kind: z.literal("system"), system: Ref })
      .describe("One system: it and the components serving it."),
  ]),
});
export type CreateGrantInput = z.infer<typeof CreateGrantInput>;
