import type { Metadata } from "next";
import { PrincipalDetailView } from "~/features/admin/principals";

export const metadata: Metadata = { title: "Principal" };

export default async function PrincipalPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PrincipalDetailView id={id} />;
}
