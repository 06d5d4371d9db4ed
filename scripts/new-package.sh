#!/usr/bin/env bash
# Scaffolds packages/<name> with the workspace's package conventions (exports map, tsconfigs, README).
# Usage: scripts/new-package.sh <name> "<description>" [dep ...]   (deps are @kho/* workspace packages)
set -euo pipefail
name=$1; desc=$2; shift 2
dir=packages/$name
mkdir -p "$dir/src" "$dir/test"
deps=""; refs_src=""; refs_test="{ \"path\": \"./tsconfig.src.json\" }"
for d in "$@"; do
  deps="$deps\"@kho/$d\": \"workspace:^\","
  refs_src="$refs_src{ \"path\": \"../$d/tsconfig.src.json\" },"
done
deps=${deps%,}; refs_src=${refs_src%,}
cat > "$dir/package.json" <<JSON
{
  "name": "@kho/$name",
  "version": "0.1.0",
  "description": "$desc",
  "license": "MIT",
  "type": "module",
  "sideEffects": [],
  "exports": {
    ".": "./src/index.ts",
    "./*": "./src/*.ts",
    "./internal/*": null
  },
  "publishConfig": {
    "exports": {
      ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "./*": { "types": "./dist/*.d.ts", "default": "./dist/*.js" },
      "./internal/*": null
    }
  },
  "files": ["dist", "src", "README.md"],
  "peerDependencies": { "effect": "^4.1.0" },
  "dependencies": { $deps }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "files": [],
  "references": [{ "path": "./tsconfig.src.json" }, { "path": "./tsconfig.test.json" }]
}
JSON
cat > "$dir/tsconfig.src.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "include": ["src"],
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "tsBuildInfoFile": ".tsbuildinfo/src.tsbuildinfo" },
  "references": [$refs_src]
}
JSON
cat > "$dir/tsconfig.test.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "include": ["test"],
  "compilerOptions": { "rootDir": "test", "outDir": ".tsbuildinfo/test-out", "emitDeclarationOnly": true, "rewriteRelativeImportExtensions": false, "tsBuildInfoFile": ".tsbuildinfo/test.tsbuildinfo" },
  "references": [$refs_test${refs_src:+,$refs_src}]
}
JSON
[ -f "$dir/README.md" ] || printf '# @kho/%s\n\n%s\n' "$name" "$desc" > "$dir/README.md"
echo "created $dir"
