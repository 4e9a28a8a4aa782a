import { router } from "../../trpc";
import { createOwnToken } from "./create-own-token";
import { getMe } from "./get-me";
import { listSessions } from "./list-sessions";
import { revokeOwnToken } from "./revoke-own-token";
import { revokeSession } from "./revoke-session";
import { signIn } from "./sign-in";
import { signOut } from "./sign-out";

export const authRouter = router({
  me: getMe,
  signIn,
  signOut,
  listSessions,
  revokeSession,
  createOwnToken,
  revokeOwnToken,
});
