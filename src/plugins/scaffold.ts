/** `plugins new`: writes a working plugin file of the chosen kind and a node:test test next to it. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BrainsmithError } from '../errors.js';
import type { ComponentKind } from './schemas.js';

export interface ScaffoldResult {
  files: string[];
}

function fileBase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
}

const TEMPLATES: Record<ComponentKind, (name: string) => string> = {
  transform: (name) => `import { defineTransform, z } from 'brainsmith';

/** ${name}: removes nodes listed in options.opTypes whose single input passes straight through. */
export default defineTransform({
  name: '${name}',
  stage: 'cleanup',
  description: 'Remove pass-through nodes of the given op types',
  options: z.object({ opTypes: z.array(z.string()).default(['Identity']) }),
  apply(model, ctx) {
    const graph = model.graph;
    let changed = false;
    for (const node of graph.nodeList()) {
      if (!ctx.options.opTypes.includes(node.opType) || node.inputs.length !== 1 || node.outputs.length !== 1) continue;
      const [input] = node.inputs;
      const [output] = node.outputs;
      if (graph.isGraphOutput(output!)) continue;
      graph.removeNode(node);
      for (const use of graph.consumers(output!)) graph.setInput(use.node, use.index, input!);
      changed = true;
    }
    if (changed) ctx.log.debug('removed pass-through nodes');
    return changed;
  },
});
`,
  kernel: (name) => `import { defineKernel, z } from 'brainsmith';
import { hwCommonAttributes, positiveInt, datatypeName, floatTensor, numbers } from 'brainsmith/kernel';

/** ${name}: an elementwise kernel over a channels-last stream (here: y = x, PE channels per cycle). */
const attributes = z.looseObject({
  ...hwCommonAttributes,
  NumChannels: positiveInt,
  PE: positiveInt.default(1),
  numInputVectors: z.array(positiveInt).default([1]),
  inputDataType: datatypeName,
  outputDataType: datatypeName,
});
type Attrs = z.infer<typeof attributes>;
const attrs = (node: { attrs: unknown }) => node.attrs as Attrs;

export default defineKernel({
  name: '${name}',
  description: 'A hardware kernel',
  attributeSchema: attributes,
  parallelism(node) {
    return { PE: { dimension: 'NumChannels', size: attrs(node).NumChannels } };
  },
  cycles(node) {
    const a = attrs(node);
    return (a.NumChannels / a.PE) * a.numInputVectors.reduce((p, v) => p * v, 1);
  },
  inferShapes(node) {
    const a = attrs(node);
    return [[...a.numInputVectors, a.NumChannels]];
  },
  inferDatatypes(node) {
    return [attrs(node).outputDataType];
  },
  execute(inputs) {
    const x = inputs[0]!;
    return [floatTensor(x.dims, numbers(x, '${name} input'))];
  },
});
`,
  backend: (name) => `import { defineBackend } from 'brainsmith';

export default defineBackend({
  name: '${name}',
  kernel: 'MyKernel',
  language: 'hls',
  description: 'An HLS implementation of MyKernel',
  isViable(node, ctx) {
    return true;
  },
  generate(node, ctx) {
    return { module: node.name, files: { [node.name + '.v']: 'module ' + node.name + '();\\nendmodule\\n' } };
  },
});
`,
  step: (name) => `import { defineStep } from 'brainsmith';

export default defineStep({
  name: '${name}',
  description: 'A pipeline step',
  run(model, ctx) {
    ctx.log.info({ nodes: model.graph.nodeCount }, 'step ran');
    return model;
  },
});
`,
};

function testTemplate(kind: ComponentKind, name: string, base: string): string {
  const call: Record<ComponentKind, string> = {
    transform: `  const changed = await plugin.apply(model, ctx({ opTypes: ['Identity'] }));\n  assert.equal(changed, false);`,
    kernel: `  const node = { attrs: { NumChannels: 4, PE: 2, numInputVectors: [1] } } as never;\n  assert.deepEqual(plugin.inferShapes?.(node, ctx({})), [[1, 4]]);\n  assert.equal(plugin.cycles?.(node, ctx({})), 2);`,
    backend: `  assert.equal(plugin.isViable?.(undefined, ctx({})), true);`,
    step: `  assert.equal(await plugin.run(model, ctx({})), model);`,
  };
  return `// Run with: npx tsx --test ${base}.test.ts (in a project where brainsmith is installed)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from 'brainsmith';
import plugin from './${base}.js';

// A minimal context; inside the compiler the registry builds the real one.
const ctx = (options: Record<string, unknown>) =>
  ({ options, log: { debug() {}, info() {}, warn() {} } }) as never;

test('${name} (${kind}) on an empty model', async () => {
  const model = new Model({ graph: { name: 'g' } });
${call[kind]}
});
`;
}

export function scaffoldPlugin(name: string, kind: ComponentKind, dir: string): ScaffoldResult {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new BrainsmithError('E_USAGE', `plugin name '${name}' must be an identifier (letters, digits, _), e.g. RemoveRedundantOps`, { kind: 'usage' });
  }
  const base = fileBase(name);
  const file = path.join(dir, `${base}.ts`);
  const testFile = path.join(dir, `${base}.test.ts`);
  for (const f of [file, testFile]) {
    if (existsSync(f)) throw new BrainsmithError('E_FILE_EXISTS', `${f} already exists; not overwriting it`, { kind: 'input', file: f });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, TEMPLATES[kind](name));
  writeFileSync(testFile, testTemplate(kind, name, base));
  return { files: [file, testFile] };
}
