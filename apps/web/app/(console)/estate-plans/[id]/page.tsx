import type { Metadata } from "next";
import { EstatePlanView } from "~/features/estate-plans/plan-page";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Estate plan" };

export default async function EstatePlanPage({ params }: { params: Promise<{ id: string }> }) {
  const id = decodeRef((await params).id);
  return <EstatePlanView key={id} planId={id} />;
}
