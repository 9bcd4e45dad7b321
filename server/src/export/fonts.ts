import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The fonts a PDF is typeset with. They come from npm packages installed with Concord, never from
 * the machine, so a paper looks the same on every server; all are under the SIL Open Font
 * License 1.1, which allows embedding (subsets) in documents.
 *
 * - Noto Serif (@expo-google-fonts/noto-serif): Latin, Greek and Cyrillic (English, French,
 *   Spanish, Russian); regular, italic, bold, bold italic.
 * - Noto Naskh Arabic (@embedpdf/fonts-arabic): Arabic, regular and bold.
 * - Noto Sans S Chinese (@embedpdf/fonts-sc, the Simplified Chinese subset of Noto Sans CJK):
 *   Chinese, regular and bold.
 *
 * The template (template/paper.typ) names the same families in the same order, with fallback
 * off: a character none of them has shows as a missing glyph instead of silently coming from
 * whatever fonts the server happens to have.
 */
export const FONT_FAMILIES = ['Noto Serif', 'Noto Naskh Arabic', 'Noto Sans S Chinese'] as const;

const FONT_FILES: { package: string; files: string[] }[] = [
  {
    package: '@expo-google-fonts/noto-serif',
    files: [
      '400Regular/NotoSerif_400Regular.ttf',
      '400Regular_Italic/NotoSerif_400Regular_Italic.ttf',
      '700Bold/NotoSerif_700Bold.ttf',
      '700Bold_Italic/NotoSerif_700Bold_Italic.ttf',
    ],
  },
  { package: '@embedpdf/fonts-arabic', files: ['fonts/NotoNaskhArabic-Regular.ttf', 'fonts/NotoNaskhArabic-Bold.ttf'] },
  { package: '@embedpdf/fonts-sc', files: ['fonts/NotoSansHans-Regular.otf', 'fonts/NotoSansHans-Bold.otf'] },
];

const require = createRequire(import.meta.url);

/** The folder of an installed package (found from its main file; some packages don't export package.json). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of the font package ${name}`);
    dir = parent;
  }
}

let cached: string[] | null = null;

/** Absolute paths of every font file the exporter loads; throws if a font package is missing. */
export function exportFontFiles(): string[] {
  if (cached) return cached;
  const files = FONT_FILES.flatMap((entry) => {
    const dir = packageDir(entry.package);
    return entry.files.map((file) => join(dir, file));
  });
  for (const file of files) if (!existsSync(file)) throw new Error(`font file missing: ${file} (reinstall with npm ci)`);
  cached = files;
  return files;
}
