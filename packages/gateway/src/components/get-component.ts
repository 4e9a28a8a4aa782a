import type { ComponentDetail, RequestMeta } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { componentDetail } from "./component-detail";
import { resolveComponent } from "./resolve-component";

export async function getComponent({
  db,
  actor,
  ref,
}: {
  db: Database | Transaction;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<ComponentDetail> {
  return componentDetail(db, await resolveComponent(db, actor, ref));
}
