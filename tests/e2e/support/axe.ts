/** Accessibility checks with axe-core, run in the page on a part of it. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * The WCAG 2.1 A and AA violations axe finds in the elements matching `selector`. Injected with
 * evaluate (not a script tag), which the app's Content-Security-Policy would refuse. `thorough`
 * adds axe's best practices (landmarks, headings) and its experimental rules (e.g. visible text
 * missing from a control's accessible name).
 */
export async function axeViolations(page: Page, selector: string, options: { thorough?: boolean } = {}): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ include, thorough }) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: any[] }> } }).axe;
      const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', ...(thorough ? ['best-practice', 'experimental'] : [])];
      const result = await axe.run({ include: [[include]] }, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n: { target: string[] }) => n.target.join(' ')) }));
    },
    { include: selector, thorough: options.thorough ?? false },
  );
}
