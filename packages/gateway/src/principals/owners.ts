import { and, count, eq, isNull, ne } from "drizzle-orm";
import { OmniglassError } from "@omniglass/domain";
import type { Transaction } from "../db";
import { principal, role, roleGrant } from "../schema";

/** Active owners (on scope all) other than `exceptPrincipal`: at least one must remain. */
export async function otherActiveOwners(
  tx: Transaction,
  except: { principalId?: string; grantId?: string },
): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(roleGrant)
    .innerJoin(role, eq(role.id, roleGrant.roleId))
    .innerJoin(principal, eq(principal.id, roleGrant.principalId))
    .where(
      and(
        eq(role.name, "owner"),
        eq(roleGrant.scopeKind, "all"),
        isNull(principal.disabledAt),
        except.principalId ? ne(roleGrant.principalId, except.principalId) : undefined,
        except.grantId ? ne(roleGrant.id, except.grantId) : undefined,
      ),
    );
  return row?.n ?? 0;
}

export const lastOwner = () =>
  new OmniglassError(
    "CONFLICT",
    "This would leave no active owner; make someone else an owner first.",
  );

export async function isOwner(tx: Transaction, principalId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(roleGrant)
    .innerJoin(role, eq(role.id, roleGrant.roleId))
    .where(
      and(
        eq(roleGrant.principalId, principalId),
        eq(role.name, "owner"),
        eq(roleGrant.scopeKind, "all"),
      ),
    );
  return (row?.n ?? 0) > 0;
}
