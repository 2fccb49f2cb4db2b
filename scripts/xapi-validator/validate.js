// Checks xAPI statements with Learning Locker's validator. Usage: node validate.js FILE...
// Each FILE holds one statement or a JSON array of them. Prints every problem found and
// exits 1 if there was any; prints "N statements valid" otherwise.
const fs = require("fs");
const validation = require("@learninglocker/xapi-validation");
const validate = validation.default || validation;

let count = 0;
let problems = 0;
for (const file of process.argv.slice(2)) {
  const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  const statements = Array.isArray(parsed) ? parsed : [parsed];
  statements.forEach((statement, index) => {
    count += 1;
    const warnings = validate(statement);
    for (const warning of warnings) {
      problems += 1;
      const path = (warning.path || []).join(".");
      console.log(`${file} [${index}] ${statement.id}: ${path}: ${warning.message || JSON.stringify(warning)}`);
    }
  });
}
console.log(problems === 0 ? `${count} statements valid` : `${problems} problems in ${count} statements`);
process.exit(problems === 0 ? 0 : 1);
