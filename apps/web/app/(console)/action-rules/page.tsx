import type { Metadata } from "next";
import { ActionRuleList } from "~/features/action-rules/action-rule-list";

export const metadata: Metadata = { title: "Action rules" };

export default function ActionRulesPage() {
  return <ActionRuleList />;
}
