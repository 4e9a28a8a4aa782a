/** The API's identity rule for names, checked while typing, and path previews. */

export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Why a name is not acceptable, or null. */
export function nameProblem(name: string): string | null {
  if (name === "") return "required";
  if (name.length > 100) return "at most 100 characters";
  if (!NAME_PATTERN.test(name))
    return "lowercase letters, digits and dashes, starting with a letter or digit";
  return null;
}

export const parentOf = (path: string) =>
  path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";

/**
 * The path a new or renamed object will have, or null while a part is missing: forms say what
 * is missing instead of showing `…. …`.
 */
export function pathPreview(parent: string, name: string): string | null {
  if (!name) return null;
  return parent ? `${parent}.${name}` : name;
}
