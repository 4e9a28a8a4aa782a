import { describe, expect, it } from "vitest";
import { loadPublishedVersions, loadTemplateLibrary } from "./library";

describe("the official library's published history", () => {
  it("holds, per template, versions 1 … n−1 before the library's current version n", () => {
    const library = new Map(loadTemplateLibrary().map((doc) => [doc.name, doc.version]));
    const published = loadPublishedVersions();
    expect(published.map((doc) => `${doc.name}@${doc.version}`)).toContain("snmp-network-switch@1");
    for (const [name, current] of library) {
      const earlier = published.filter((doc) => doc.name === name).map((doc) => doc.version);
      expect(earlier, name).toEqual(Array.from({ length: current - 1 }, (_, i) => i + 1));
    }
    for (const doc of published) expect(library.has(doc.name), doc.name).toBe(true);
  });
});
