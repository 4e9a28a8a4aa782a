import type { ComponentDetail } from "@omniglass/contracts";
import type { GatewayContext } from "../kit";
import { componentDetail } from "./component-detail";
import { resolveComponent } from "./resolve-component";

export async function getComponent({
  db,
  actor,
  ref,
}: GatewayContext & { ref: string }): Promise<ComponentDetail> {
  return componentDetail(db, await resolveComponent(db, actor, ref));
}
