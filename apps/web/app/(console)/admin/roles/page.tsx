import type { Metadata } from "next";
import { RoleList } from "~/console/roles";

export const metadata: Metadata = { title: "Roles" };

export default function RolesPage() {
  return <RoleList />;
}
