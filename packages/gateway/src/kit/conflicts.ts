import { OmniglassError } from "@omniglass/domain";

/**
 * 409 for a name already used (`where` says where: `in campus.hq`, `there`, `at the top level`;
 * none for a platform-wide registry).
 */
export function nameTaken(what: string, name: string, where?: string, field = "name") {
  return new OmniglassError(
    "CONFLICT",
    `A ${what} named ${name} already exists${where ? ` ${where}` : ""}.`,
    { fieldErrors: [{ field, message: where ? "already taken here" : "already taken" }] },
  );
}

/** The first names of a list for a message: `a, b, c, …`. */
export function listSome(names: string[], limit = 5): string {
  return `${names.slice(0, limit).join(", ")}${names.length > limit ? ", …" : ""}`;
}

/** Something that depends on the object: how it is named, and whether the caller may read it. */
export interface Dependent {
  name: string;
  readable: boolean;
}

/**
 * Names what the caller may read and counts the rest: `a, b and 3 more you cannot see`.
 * Errors never name what the caller cannot read.
 */
export function describeDependents(dependents: Dependent[], limit = 5): string {
  const named = dependents.filter((d) => d.readable).map((d) => d.name);
  const hidden = dependents.length - named.length;
  const shown = listSome(named, limit);
  if (hidden === 0) return shown;
  const more = `${hidden} more you cannot see`;
  return named.length === 0 ? more : `${shown} and ${more}`;
}

/**
 * 409 when anything still depends on the object: `<subject> still <relation>: <dependents>. <advice>`
 * with only readable dependents named (see `describeDependents`).
 */
export function assertNoDependents(
  subject: string,
  relation: string,
  dependents: Dependent[],
  advice = "",
) {
  if (dependents.length === 0) return;
  throw new OmniglassError(
    "CONFLICT",
    `${subject} still ${relation}: ${describeDependents(dependents)}.${advice ? ` ${advice}` : ""}`,
  );
}
