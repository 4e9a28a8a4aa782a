import type { Metadata } from "next";
import { EstatePlanList } from "~/features/estate-plans/plan-list";

export const metadata: Metadata = { title: "Estate plans" };

export default function EstatePlansPage() {
  return <EstatePlanList />;
}
