import type { Metadata } from "next";
import { RuleDetailView } from "~/features/rules/rule-page";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Rule" };

export default async function RulePage({ params }: { params: Promise<{ ref: string }> }) {
  const ref = decodeRef((await params).ref);
  return <RuleDetailView key={ref} ruleRef={ref} />;
}
