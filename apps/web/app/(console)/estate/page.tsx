import type { Metadata } from "next";
import { EstateTree } from "~/console/estate-tree";

export const metadata: Metadata = { title: "Estate" };

export default function EstatePage() {
  return <EstateTree />;
}
