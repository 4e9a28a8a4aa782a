import type { Metadata } from "next";
import { RoleList } from "~/features/admin/roles";

export const metadata: Metadata = { title: "Roles" };

export default function RolesPage() {
  return <RoleList />;
}
