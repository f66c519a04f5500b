// Parses PowerShell scripts with tree-sitter's PowerShell grammar and prints
// FILE:LINE:COL for every syntax error; exits 1 when there is one.
//   NODE_PATH=$(npm root -g) node --liftoff-only parse-ps1.cjs FILE...
const { Parser, Language } = require('web-tree-sitter');
const fs = require('fs');

(async () => {
  await Parser.init();
  const lang = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(lang);
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    const tree = parser.parse(fs.readFileSync(file, 'utf8'));
    const walk = (node) => {
      if (node.isError || node.isMissing) {
        errors++;
        const at = `${file}:${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
        console.log(node.isMissing ? `${at}: missing ${node.type}` : `${at}: syntax error near ${JSON.stringify(node.text.slice(0, 60))}`);
      }
      for (const child of node.children) walk(child);
    };
    walk(tree.rootNode);
  }
  process.exit(errors ? 1 : 0);
})().catch((err) => { console.error(err); process.exit(2); });
