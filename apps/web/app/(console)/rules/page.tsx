import type { Metadata } from "next";
import { RuleList } from "~/features/rules/rule-list";

export const metadata: Metadata = { title: "Rules" };

export default function RulesPage() {
  return <RuleList />;
}
