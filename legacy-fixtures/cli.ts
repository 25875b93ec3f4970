import { generateFixtures } from './generate.js';

/** `npm run fixtures`: write every legacy fixture into the given folder, one line per fixture. */
const outDir = process.argv[2];
if (outDir === undefined || outDir === '') {
  process.stderr.write('usage: node dist/legacy-fixtures/cli.js <out-dir>\n');
  process.exit(2);
}
const fixtures = generateFixtures(outDir);
for (const f of fixtures) {
  process.stdout.write(
    `${f.name.padEnd(28)} ${f.kind.padEnd(8)} ${(f.release ?? '-').padEnd(4)} user_version=${String(f.expectedUserVersion).padEnd(3)} ${f.journalMode.padEnd(6)} ${f.file}\n`,
  );
}
process.stdout.write(`${fixtures.length} fixtures written to ${outDir}\n`);
