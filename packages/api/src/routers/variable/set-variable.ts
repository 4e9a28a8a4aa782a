import { SetVariableInput, Variable } from "@omniglass/contracts";
import { setBinding } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PUT",
    path: "/variables",
    tags: ["variables"],
    summary: "Set a variable on a target",
    description:
      "Creates the variable or replaces its value (any JSON up to 16 KiB). Needs variable:update in the target's scope; the platform needs it on scope all. The same value again changes nothing. Send `version` to be refused with 409 if it changed since. `secret: true` stores a string encrypted (AES-256-GCM envelope under the server's OMNIGLASS_SECRET_KEY): reads show it with `secret: true` and a null value, the audit log records that it was set but never the value, and only the node polling an interface that names it receives it. 503 when the server has no key configured.",
  },
};

export const setVariable = capability("variable:update")
  .meta(meta)
  .input(SetVariableInput)
  .output(Variable)
  .mutation(({ ctx, input }) =>
    setBinding({
      ...ctx.gw,
      kind: "variable",
      input,
      secretKey: ctx.deps.secretKey,
    }),
  );
