// Lists the rules of an nginxls binary under nginxls.rules in package.json,
// so that settings completion offers every rule id with its title:
//   node scripts/sync-rules.mjs [path/to/nginxls]   (default ../../bin/nginxls)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

const bin = process.argv[2] ?? '../../bin/nginxls';
const severities = ['off', 'error', 'warning', 'info', 'hint'];
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const rules = pkg.contributes.configuration.properties['nginxls.rules'];
rules.properties = {};
for (const line of execFileSync(bin, ['rules'], { encoding: 'utf8' }).split('\n')) {
  const m = /^(\S+)\s+(\S+)\s+(.*)$/.exec(line);
  if (m) {
    rules.properties[m[1]] = { type: 'string', enum: severities, markdownDescription: `${m[3]} (default: ${m[2]})` };
  }
}
fs.writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`nginxls.rules lists ${Object.keys(rules.properties).length} rules`);
