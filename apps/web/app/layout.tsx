import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Navigation } from "~/console/navigation";
import { ThemeToggle, THEME_BOOT_SCRIPT } from "~/console/theme-toggle";
import { ApiProvider } from "~/console/trpc";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Omniglass", template: "%s · Omniglass" },
  description: "Observability and control plane for AV and IT estates",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <ApiProvider>
          <div className="flex min-h-screen">
            <aside className="flex w-56 shrink-0 flex-col gap-6 border-r border-zinc-200 bg-zinc-100 p-4 dark:border-zinc-800 dark:bg-zinc-900">
              <div className="flex items-center justify-between">
                <span className="text-base font-semibold tracking-tight">Omniglass</span>
              </div>
              <Navigation />
              <div className="mt-auto">
                <ThemeToggle />
              </div>
            </aside>
            <main className="flex-1 p-6">{children}</main>
          </div>
        </ApiProvider>
      </body>
    </html>
  );
}
