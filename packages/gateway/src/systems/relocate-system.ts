import type { MoveInput, RenameInput, System } from "@omniglass/contracts";
import { placedRelocation, type GatewayContext } from "../kit";
import { system } from "../schema";
import { lockSystem, onSystem } from "./lock-system";
import { readSystemBack } from "./system-detail";

const relocation = placedRelocation({
  resource: "system",
  table: system,
  lock: lockSystem,
  on: onSystem,
  placement: (s) => ({ ...s.row, locationPath: s.locationPath }),
  read: readSystemBack,
});

/** Renames a system within its location (`system:rename`); a taken name there is 409. */
export const renameSystem = (args: GatewayContext & { input: RenameInput }): Promise<System> =>
  relocation.rename(args);

/** Moves a system to another location (`system:move` at both ends); its members stay where they are placed. */
export const moveSystem = (args: GatewayContext & { input: MoveInput }): Promise<System> =>
  relocation.move(args);
