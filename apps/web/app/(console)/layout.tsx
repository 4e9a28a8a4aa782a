import type { ReactNode } from "react";
import { Navigation } from "~/features/shell/navigation";
import { ThemeToggle } from "~/features/shell/theme-toggle";
import { UserMenu } from "~/features/shell/user-menu";

/**
 * The signed-in shell: a skip link, the navigation pinned to the viewport (it never scrolls away
 * on a long page), who is signed in and the theme toggle always in reach below it (on a short
 * window the list of sections scrolls by itself, never the footer away). The proxy sends
 * anyone else to /sign-in.
 */
export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:text-zinc-900 focus:shadow"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col gap-4 border-r border-zinc-200 bg-zinc-100 p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <span className="text-base font-semibold tracking-tight">Omniglass</span>
        <div className="-mx-1 min-h-0 flex-1 overflow-y-auto px-1">
          <Navigation />
        </div>
        <div className="flex shrink-0 flex-col gap-3">
          <UserMenu />
          <ThemeToggle />
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-6 focus:outline-none">
        {children}
      </main>
    </div>
  );
}
