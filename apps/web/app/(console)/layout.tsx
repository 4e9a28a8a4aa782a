import type { ReactNode } from "react";
import { Navigation } from "~/console/navigation";
import { ThemeToggle } from "~/console/theme-toggle";
import { UserMenu } from "~/console/user-menu";

/** The signed-in shell: navigation, who is signed in, theme. The proxy sends anyone else to /sign-in. */
export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-56 shrink-0 flex-col gap-6 border-r border-zinc-200 bg-zinc-100 p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <span className="text-base font-semibold tracking-tight">Omniglass</span>
        <Navigation />
        <div className="mt-auto flex flex-col gap-3">
          <UserMenu />
          <ThemeToggle />
        </div>
      </aside>
      <main className="flex-1 p-6">{children}</main>
    </div>
  );
}
