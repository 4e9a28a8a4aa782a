export { createGrant, deleteGrant } from "./grants";
export {
  createPrincipal,
  getPrincipal,
  listPrincipals,
  setPrincipalDisabled,
  updatePrincipal,
} from "./principals";
export { createToken, revokeToken } from "./tokens";
