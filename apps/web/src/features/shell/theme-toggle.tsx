"use client";

import { useSyncExternalStore } from "react";

type Theme = "light" | "dark";

const STORAGE_KEY = "omniglass-theme";
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const currentTheme = (): Theme =>
  document.documentElement.classList.contains("dark") ? "dark" : "light";
/** The server cannot know the theme: it renders the neutral label, and so does hydration. */
const serverTheme = (): Theme | null => null;

/**
 * Light or dark, remembered per browser. The class is set before paint by the layout's script;
 * this reads it through an external store, so the first render matches the server's and the
 * theme is never read during render on the server (no hydration mismatch, no lost theme).
 */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribe, currentTheme, serverTheme);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      onClick={() => {
        document.documentElement.classList.toggle("dark", next === "dark");
        localStorage.setItem(STORAGE_KEY, next);
        for (const l of listeners) l();
      }}
      className="rounded-md border border-zinc-300 px-2 py-1 text-xs text-zinc-700 hover:bg-zinc-200 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      aria-label={theme === null ? "Switch theme" : `Switch to ${next} theme`}
    >
      {theme === null ? "Theme" : next === "dark" ? "Dark theme" : "Light theme"}
    </button>
  );
}

export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem("${STORAGE_KEY}");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;
