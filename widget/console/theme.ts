/** Light or dark: the merchant's last choice (localStorage), else the system's. */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'codepay-console-theme';

export function initialTheme(): Theme {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const saveTheme = (theme: Theme): void => localStorage.setItem(STORAGE_KEY, theme);
