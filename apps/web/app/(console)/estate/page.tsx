import type { Metadata } from "next";
import { EstateTree } from "~/features/estate/estate-tree";

export const metadata: Metadata = { title: "Estate" };

export default function EstatePage() {
  return <EstateTree />;
}
