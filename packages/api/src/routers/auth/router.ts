import { router } from "../../trpc";
import { getMe } from "./get-me";
import { signIn } from "./sign-in";
import { signOut } from "./sign-out";

export const authRouter = router({ me: getMe, signIn, signOut });
