/**
 * First step of `npm test`: the system tools the browser and PDF tests drive — Debian's Chromium
 * (never a downloaded browser), poppler's pdftoppm/pdftotext/pdffonts, and fonts for pages to
 * render text. Installs what is missing with apt-get when this machine allows it (root, or sudo
 * without a password), and otherwise says exactly what to run and stops before the suite does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

interface Requirement {
  /** The Debian package that provides it. */
  package: string;
  present: () => boolean;
}

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const packageInstalled = (name: string) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status === 0;

const requirements: Requirement[] = [
  { package: 'chromium', present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  { package: 'poppler-utils', present: () => ['pdftoppm', 'pdftotext', 'pdffonts'].every(onPath) },
  { package: 'fonts-dejavu-core', present: () => packageInstalled('fonts-dejavu-core') },
  { package: 'fonts-liberation', present: () => packageInstalled('fonts-liberation') },
];

const missing = requirements.filter((requirement) => !requirement.present()).map((requirement) => requirement.package);
if (missing.length === 0) process.exit(0);

const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const isRoot = process.getuid?.() === 0;
const canSudo = !isRoot && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
if (!onPath('apt-get') || (!isRoot && !canSudo)) {
  console.error(
    `The browser and PDF tests need ${missing.join(', ')}, which this machine lacks.\n` +
      (onPath('apt-get') ? `Install them with:\n  sudo apt-get update && sudo ${command}\n` : `Install the equivalent of these Debian packages, or set CHROMIUM_PATH to a Chromium binary.\n`) +
      'Then run npm test again.',
  );
  process.exit(1);
}

console.log(`npm test: installing ${missing.join(', ')} (apt-get)`);
const run = (args: string[]) =>
  execFileSync(isRoot ? args[0] : 'sudo', isRoot ? args.slice(1) : ['-n', ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
const stillMissing = requirements.filter((requirement) => !requirement.present()).map((requirement) => requirement.package);
if (stillMissing.length > 0) {
  console.error(`Still missing after apt-get: ${stillMissing.join(', ')}`);
  process.exit(1);
}
