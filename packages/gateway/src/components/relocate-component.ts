import type { ComponentDetail, MoveInput, RenameInput } from "@omniglass/contracts";
import { placedRelocation, type GatewayContext } from "../kit";
import { component } from "../schema";
import { readComponentBack } from "./component-detail";
import { lockComponent, onComponent } from "./lock-component";

const relocation = placedRelocation({
  resource: "component",
  table: component,
  lock: lockComponent,
  on: onComponent,
  placement: (c) => ({ ...c.row, locationPath: c.locationPath }),
  read: readComponentBack,
});

/**
 * Renames a component within its location (`component:rename`, a placement verb: its location's
 * scope, never a system grant's).
 */
export const renameComponent = (
  args: GatewayContext & { input: RenameInput },
): Promise<ComponentDetail> => relocation.rename(args);

/** Moves a component to another location (`component:move` at both ends); its memberships stay. */
export const moveComponent = (
  args: GatewayContext & { input: MoveInput },
): Promise<ComponentDetail> => relocation.move(args);
