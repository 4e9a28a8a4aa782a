import { router } from "../../trpc";
import { createGrant } from "./create-grant";
import { createPrincipal } from "./create-principal";
import { createToken } from "./create-token";
import { deleteGrant } from "./delete-grant";
import { disablePrincipal } from "./disable-principal";
import { enablePrincipal } from "./enable-principal";
import { getPrincipal } from "./get-principal";
import { listPrincipals } from "./list-principals";
import { revokeToken } from "./revoke-token";
import { updatePrincipal } from "./update-principal";

export const principalRouter = router({
  list: listPrincipals,
  get: getPrincipal,
  create: createPrincipal,
  update: updatePrincipal,
  disable: disablePrincipal,
  enable: enablePrincipal,
  createToken,
  revokeToken,
  createGrant,
  deleteGrant,
});
