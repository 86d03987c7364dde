/** Writes folding decisions back onto nodes as typed ONNX attributes. */
import { BrainsmithError } from '../errors.js';
import type { Node } from '../ir/node.js';
import { setFloat, setInt, setInts, setString } from '../ir/attributes.js';

/** Writes one attribute onto a node by the JS type of the value (int when integral, else float). */
export function writeAttribute(node: Node, name: string, value: unknown): void {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) setInt(node, name, value);
    else setFloat(node, name, value);
  } else if (typeof value === 'string') {
    setString(node, name, value);
  } else if (typeof value === 'boolean') {
    setInt(node, name, value ? 1 : 0);
  } else if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    setInts(node, name, value as number[]);
  } else {
    throw new BrainsmithError('E_ATTRIBUTE_VALUE', `node '${node.name}': cannot store ${JSON.stringify(value)} as attribute ${name} (expected a number, string or list of ints)`, { kind: 'input' });
  }
  node.graph?.attributesChanged(node);
}
