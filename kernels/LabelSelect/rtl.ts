import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { generateLabelSelect } from './_rtl-gen.js';

export default defineBackend({
  name: 'LabelSelect_rtl',
  kernel: 'LabelSelect',
  language: 'rtl',
  description: 'RTL LabelSelect (sorted top-K insertion list); FINN has only an HLS LabelSelect',
  isViable() {
    return true;
  },
  /** FINN has no RTL LabelSelect, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** No resource model (as FINN's HLS LabelSelect). */
  estimate() {
    return resources({});
  },
  generate(node) {
    return generateLabelSelect(node);
  },
});
