import type { CreateComponentInput, TemplateDocument } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import { resolveNode } from "../nodes/resolve-node";

export type InterfaceBindings = CreateComponentInput["interfaces"];

/** The interface rows a template version asks for, bound as the input says (node, host, port). */
export async function bindInterfaces(
  tx: Transaction,
  actor: Actor,
  document: TemplateDocument,
  bindings: InterfaceBindings,
  defaultNode: string | null | undefined,
  /** Nodes already looked up, by reference (shared across calls by a bulk writer). */
  nodeIds = new Map<string, string>(),
) {
  const declared = new Map(document.interfaces.map((i) => [i.name, i]));
  (bindings ?? []).forEach((b, index) => {
    if (!declared.has(b.name))
      throw new OmniglassError(
        "INVALID",
        `${document.name}@${document.version} has no interface ${b.name}.`,
        {
          fieldErrors: [
            {
              field: `interfaces.${index}.name`,
              message: `expected one of ${[...declared.keys()].join(", ")}`,
            },
          ],
        },
      );
  });
  const nodeId = async (ref: string | null | undefined, field: string) => {
    if (!ref) return null;
    if (!nodeIds.has(ref)) {
      const found = await resolveNode(tx, actor, ref).catch((error: unknown) => {
        if (error instanceof OmniglassError && error.code === "NOT_FOUND")
          throw new OmniglassError("INVALID", `No node ${ref}.`, {
            fieldErrors: [{ field, message: "no such node" }],
          });
        throw error;
      });
      nodeIds.set(ref, found.row.id);
    }
    return nodeIds.get(ref)!;
  };
  const rows = [];
  for (const declaredInterface of document.interfaces) {
    const index = (bindings ?? []).findIndex((b) => b.name === declaredInterface.name);
    const binding = index >= 0 ? bindings![index] : undefined;
    rows.push({
      name: declaredInterface.name,
      protocol: declaredInterface.protocol,
      nodeId:
        binding?.node !== undefined
          ? await nodeId(binding.node, `interfaces.${index}.node`)
          : await nodeId(defaultNode, "node"),
      host: binding?.host ?? null,
      port: binding?.port ?? null,
    });
  }
  return rows;
}
