import { router } from "../../trpc";
import { getMe } from "./get-me";

export const authRouter = router({ me: getMe });
