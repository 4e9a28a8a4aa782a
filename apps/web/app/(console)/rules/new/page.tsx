import type { Metadata } from "next";
import { NewRuleView } from "~/features/rules/rule-page";

export const metadata: Metadata = { title: "New rule" };

export default function NewRulePage() {
  return <NewRuleView />;
}
