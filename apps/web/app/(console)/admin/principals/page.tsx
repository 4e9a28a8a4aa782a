import type { Metadata } from "next";
import { PrincipalList } from "~/features/admin/principals";

export const metadata: Metadata = { title: "People & services" };

export default function PrincipalsPage() {
  return <PrincipalList />;
}
