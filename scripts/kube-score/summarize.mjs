// Reads kube-score's JSON reports (`kube-score score -o json`, one file per app, named <app>.json)
// from a directory and prints one line per finding, sorted, then the counts:
//
//   <app> CRITICAL <check id> <Kind>/<name>[ (<container>)]: <summary>
//   ...
//   CRITICAL <n>
//   WARNING <n>
//   GRADED <n>       (checks that ran and gave a grade, whatever it was)
//
// kube-score's grades: 1 critical, 5 warning, 7 almost OK, 10 OK (skipped checks have none).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const GRADES = { 1: 'CRITICAL', 5: 'WARNING' };
const dir = process.argv[2];
const lines = [];
const counts = { CRITICAL: 0, WARNING: 0 };
let graded = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const app = file.slice(0, -'.json'.length);
  for (const object of JSON.parse(readFileSync(join(dir, file), 'utf8')) ?? []) {
    const what = `${object.type_meta?.kind}/${object.object_meta?.name}`;
    for (const check of object.checks ?? []) {
      if (check.skipped) continue;
      graded++;
      const grade = GRADES[check.grade];
      if (!grade) continue;
      for (const c of check.comments?.length ? check.comments : [{ summary: check.check.name }]) {
        counts[grade]++;
        lines.push(`${app} ${grade} ${check.check.id} ${what}${c.path ? ` (${c.path})` : ''}: ${c.summary}`);
      }
    }
  }
}
for (const line of lines.sort()) console.log(line);
console.log(`CRITICAL ${counts.CRITICAL}`);
console.log(`WARNING ${counts.WARNING}`);
console.log(`GRADED ${graded}`);
